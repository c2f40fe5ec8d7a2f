"""API endpoints for dynamics and games: thin, over selectors and services."""

from ninja import Router

router = Router(tags=["modelling"])
