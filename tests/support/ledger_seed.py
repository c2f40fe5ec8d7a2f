"""Transactional tests (live server, PostgreSQL races) flush the rows migrations seeded; the
ledger's default categories and money rules are put back with the migration's own code."""

from __future__ import annotations

from importlib import import_module


def ensure_default_categories() -> None:
    from django.apps import apps

    import_module("gongsheng.ledger.migrations.0002_default_categories").forwards(apps, None)
