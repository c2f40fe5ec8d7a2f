"""Benefit distribution."""
