"""Shared resources (training bases, laboratories, equipment, platforms, experts) and bookings."""
