"""API endpoints for benefit distribution: thin, over selectors and services."""

from ninja import Router

router = Router(tags=["distribution"])
