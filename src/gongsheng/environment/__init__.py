"""Symbiotic environment."""
