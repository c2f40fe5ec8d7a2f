"""API endpoints for symbiosis diagnosis: thin, over selectors and services."""

from ninja import Router

router = Router(tags=["diagnosis"])
