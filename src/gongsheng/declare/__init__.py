"""The declaration layer: one :class:`~gongsheng.declare.declaration.Declaration` per model, from
which come its services, pages, API router, import/export resource and standard tests.

It sits above ``access``, ``audit`` and ``transfer`` and below the apps (import-linter layers
contract in ``pyproject.toml``); ``docs/DEVELOPMENT.md`` "Adding a model" shows one in full.
"""
