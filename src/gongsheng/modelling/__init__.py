"""Dynamics and games."""
