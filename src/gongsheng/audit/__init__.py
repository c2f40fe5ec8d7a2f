"""The change log: who changed what, when, in which request, from what to what."""
