"""Alerts raised by any app (IP rule breaches, free riders ...), acknowledged by the secretariat."""
