"""Symbiosis diagnosis."""
