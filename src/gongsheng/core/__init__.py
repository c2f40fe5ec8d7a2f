"""Shared foundations: errors, request context, base models. Imports no other app."""
