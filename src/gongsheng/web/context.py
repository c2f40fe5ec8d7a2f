"""Template context: the navigation and the consortia the user can switch between."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {
        "PRODUCT_NAME": settings.PRODUCT_NAME,
        "SESSION_IDLE_MINUTES": settings.SESSION_IDLE_MINUTES,
    }
