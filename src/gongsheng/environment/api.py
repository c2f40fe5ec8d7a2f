"""API endpoints for symbiotic environment: thin, over selectors and services."""

from ninja import Router

router = Router(tags=["environment"])
