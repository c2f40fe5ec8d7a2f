"""The request id of the work in progress (one per web request, CLI run or task).

Services copy it into every audit entry, so everything one request did can be found
together (NetBox's ``request_id``). Stored in a context variable, so it is right under
threads (waitress) and async code alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_request_id: ContextVar[uuid.UUID | None] = ContextVar("gongsheng_request_id", default=None)


def current_request_id() -> uuid.UUID:
    """The id of the current request; a new one is started when none is set."""
    rid = _request_id.get()
    if rid is None:
        rid = uuid.uuid4()
        _request_id.set(rid)
    return rid


@contextmanager
def request_scope(request_id: uuid.UUID | None = None) -> Iterator[uuid.UUID]:
    """Run a block of work under one request id (used by the middleware, CLI and tasks)."""
    rid = request_id or uuid.uuid4()
    token = _request_id.set(rid)
    try:
        yield rid
    finally:
        _request_id.reset(token)
