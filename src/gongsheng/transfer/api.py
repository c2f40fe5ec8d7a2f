"""API: import and export of registered tables."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["import/export"])
