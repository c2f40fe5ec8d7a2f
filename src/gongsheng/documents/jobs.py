"""Rendering a registered report in the background worker (found by ``jobs``' autodiscovery).

The page checks the request at once (``services.report_request``: who may ask, the
parameters, the formats), then starts this job; the worker builds the document as the user
who asked (so it holds only what that user may see) and renders it. A server without the
Chinese fonts fails the job, without retrying, with the message naming ``fonts-noto-cjk``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.core.errors import ApplicationError
from gongsheng.documents import services
from gongsheng.documents.fonts import MissingFonts
from gongsheng.jobs.registry import JobFailed, job_kind

RENDER = "documents.render"


@job_kind(
    RENDER,
    label=gettext_lazy("Render a document"),
    attempts=2,
    result_template="documents/_render_result.html",
)
def render_report(ctx: Any) -> dict[str, Any]:
    if ctx.user is None:
        raise JobFailed(_("Only a person can ask for a document."))
    ctx.progress(0, 1, _("building the document"))
    try:
        row = services.report_render(
            actor=ctx.user,
            name=ctx.params["name"],
            params=ctx.params["params"],
            formats=ctx.params["formats"],
        )
    except MissingFonts as exc:
        raise JobFailed(str(exc)) from exc
    except ApplicationError as exc:  # the user's rights or the data changed since the request
        raise JobFailed(str(exc.message)) from exc
    ctx.progress(1, 1, _("done"))
    return {"document": row.pk, "title": row.title, "formats": list(row.formats)}
