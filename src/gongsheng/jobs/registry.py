"""The job kinds: name → function, label, retry limit, back-off.

An app declares its background work in ``<app>/jobs.py`` (imported at start-up)::

    from gongsheng.jobs.registry import job_kind

    @job_kind("diagnosis.refresh", label=_("Recompute the diagnosis"), attempts=3)
    def refresh(ctx):
        ctx.progress(0, 1, _("gathering"))
        ...
        return {"pairs": 12}          # JSON: the job's result

A kind's function takes a :class:`gongsheng.jobs.runner.JobContext` and returns a JSON-ready
value (or ``None``). Raising :class:`JobFailed` fails the job at once with its message; any
other exception is retried up to ``attempts`` runs with an exponential back-off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string


class JobFailed(Exception):
    """A failure retrying will not mend (bad input): the job fails now with this message
    (shown to people) and an optional JSON ``result`` (e.g. the problems found)."""

    def __init__(self, message: Any, *, result: Any = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.result = result


@dataclass(frozen=True)
class JobKind:
    name: str
    func: Callable[..., Any]
    label: Any
    attempts: int = 3
    #: seconds before the second run; doubled for each further run, at most ``backoff_max``
    backoff: float = 10.0
    backoff_max: float = 600.0
    #: a template rendered under the progress bar once the job has ended (context: job)
    result_template: str = ""
    #: ``(user, job) -> bool``: who may download the job's files, asked at every download on
    #: top of seeing the job (e.g. an export's file: only its starter, with the rights still
    #: held); ``None``: whoever sees the job
    files_for: Callable[[Any, Any], bool] | None = None

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed run number ``attempt`` (1-based)."""
        return min(self.backoff_max, self.backoff * 2 ** max(0, attempt - 1))


_KINDS: dict[str, JobKind] = {}


def job_kind(
    name: str,
    *,
    label: Any,
    attempts: int = 3,
    backoff: float = 10.0,
    backoff_max: float = 600.0,
    result_template: str = "",
    files_for: Callable[[Any, Any], bool] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``func`` as the job kind ``name`` (decorator)."""
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")

    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        _KINDS[name] = JobKind(
            name=name,
            func=func,
            label=label,
            attempts=attempts,
            backoff=backoff,
            backoff_max=backoff_max,
            result_template=result_template,
            files_for=files_for,
        )
        return func

    return wrap


def register_dotted(name: str, path: str, **options: Any) -> None:
    """Register a kind whose function is found by dotted path when it runs (so an app below
    may name work that an app above provides, without importing it)."""

    def call(ctx: Any) -> Any:
        return import_string(path)(ctx)

    call.__name__ = path.rsplit(".", 1)[-1]
    job_kind(name, **options)(call)


def get_kind(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"unknown job kind {name!r}; known: {sorted(_KINDS)}") from None


def kinds() -> dict[str, JobKind]:
    return dict(_KINDS)


def unregister(name: str) -> None:
    """Remove a kind (tests)."""
    _KINDS.pop(name, None)
