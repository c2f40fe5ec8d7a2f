"""Consortia, member units, memberships and their lifecycle."""
