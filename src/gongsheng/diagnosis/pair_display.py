"""The pair page's view: one pair's verdict, numbers and evidence (episodes)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.cooperation.choices import ContractType, ProjectType
from gongsheng.core.reasons import reason_text
from gongsheng.diagnosis.display import _finite, _key
from gongsheng.diagnosis.labels import mode_label, organisation_label

EPISODE_KINDS = {
    "cooperation.project": gettext_lazy("project"),
    "cooperation.contract": gettext_lazy("contract"),
    "sharing.booking": gettext_lazy("booking"),
}


def episode_url(consortium_id: int, source_type: str, source_id: int) -> str | None:
    """The page of an episode's source record (a booking: its ledger entries)."""
    if source_type == "cooperation.project":
        return reverse("cooperation:project", args=[source_id])
    if source_type == "cooperation.contract":
        return reverse("cooperation:contract", args=[source_id])
    if source_type:
        url = reverse("ledger:list", args=[consortium_id])
        return f"{url}?source={source_type}:{source_id}"
    return None


#: the dimension of an episode: its project's or contract's type (a booking's is resource sharing)
DIMENSIONS = {**dict(ContractType.choices), **dict(ProjectType.choices)}


def dimension_label(code: str) -> str:
    return str(DIMENSIONS.get(code, code))


def episode_rows(consortium_id: int, episodes: Iterable[Any]) -> list[dict[str, Any]]:
    return [
        {
            "kind": e.source_type,
            "kind_label": str(EPISODE_KINDS.get(e.source_type, e.source_type)),
            "id": e.source_id,
            "title": e.title,
            "start": e.start,
            "end": e.end,
            "dimension": e.dimension,
            "dimension_label": dimension_label(e.dimension) if e.dimension else "",
            "joint_body": bool(e.joint_body),
            "url": episode_url(consortium_id, e.source_type, e.source_id),
        }
        for e in episodes
    ]


class PairDisplay:
    """The pair page's view of a ``PairDetail``: the engine's ``PairDiagnosis`` with labels,
    its reasons as lines, and the evidence (ledger entries, episodes with links). ``pair`` is
    None when the two did not cooperate in the window: the page says so and still lists the
    evidence."""

    def __init__(self, detail: Any) -> None:
        self.detail = detail
        self.p = detail.pair
        self.entries = detail.entries
        self.episodes = episode_rows(detail.consortium_id, detail.episodes)
        self.a_name = detail.a.name
        self.b_name = detail.b.name
        self.a_id = detail.a.id
        self.b_id = detail.b.id

    def __getattr__(self, name: str) -> Any:
        if name in ("p", "detail"):
            raise AttributeError(name)
        return getattr(self.p, name) if self.p is not None else None

    @property
    def found(self) -> bool:
        return self.p is not None

    @property
    def behaviour(self) -> str:
        return _key(self.p.behaviour) or "" if self.p is not None else ""

    @property
    def behaviour_label(self) -> str:
        return mode_label(self.behaviour)

    @property
    def organisation(self) -> str | None:
        return _key(self.p.organisation) if self.p is not None else None

    @property
    def organisation_label(self) -> str:
        return organisation_label(self.organisation)

    @property
    def target(self) -> bool:
        return bool(self.p is not None and self.p.target)

    @property
    def g_a(self) -> float | None:
        return self.p.gain_a if self.p is not None else None

    @property
    def g_b(self) -> float | None:
        return self.p.gain_b if self.p is not None else None

    @property
    def r_a(self) -> float | None:
        return _finite(self.p.relative_gain_a) if self.p is not None else None

    @property
    def r_b(self) -> float | None:
        return _finite(self.p.relative_gain_b) if self.p is not None else None

    @property
    def degree(self) -> float | None:
        return _finite(self.p.degree) if self.p is not None else None

    @property
    def share(self) -> float | None:
        return _finite(self.p.share) if self.p is not None else None

    @property
    def degree_reason(self) -> str:
        return reason_text(self.p.degree_note) if self.p is not None else ""

    @property
    def reasons(self) -> list[str]:
        if self.p is None and self.detail.withheld:
            return [
                _(
                    "The numbers of this pair are withheld: they would show another unit's "
                    "share of a project pool your unit did not put into."
                )
            ]
        if self.p is None:
            return [_("The two units did not cooperate in this window.")]
        lines = [reason_text(self.p.reason)]
        stats = self.p.organisation_stats
        if stats is not None and getattr(stats, "reason", ""):
            lines.append(reason_text(stats.reason))
        return [line for line in lines if line]

    @property
    def organisation_stats(self) -> list[tuple[str, Any]]:
        s = self.p.organisation_stats if self.p is not None else None
        if s is None:
            return []
        return [
            (_("Episodes"), s.n_episodes),
            (_("Blocks of cooperation"), s.n_blocks),
            (_("Coverage of the window"), f"{100 * s.coverage:.0f} %"),
            (_("Longest gap (days)"), s.max_gap_days),
            (_("Dimensions"), "、".join(dimension_label(str(d)) for d in s.dimensions) or "—"),
        ]
