"""The words and colours of the diagnosis: modes, groups and alert kinds."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, pgettext_lazy

#: behavioural modes, best first (the order of legends, bars and trend lines)
MODES = (
    "symmetric_mutualism",
    "asymmetric_mutualism",
    "commensalism",
    "independent",
    "amensalism",
    "parasitism",
    "competition",
)
MODE_LABELS = {
    "symmetric_mutualism": pgettext_lazy("symbiosis mode", "symmetric mutualism"),
    "asymmetric_mutualism": pgettext_lazy("symbiosis mode", "asymmetric mutualism"),
    "commensalism": pgettext_lazy("symbiosis mode", "commensalism"),
    "independent": pgettext_lazy("symbiosis mode", "independent"),
    "amensalism": pgettext_lazy("symbiosis mode", "amensalism"),
    "parasitism": pgettext_lazy("symbiosis mode", "parasitism"),
    "competition": pgettext_lazy("symbiosis mode", "competition"),
}
#: the same colours as the badges in static/diagnosis/diagnosis.css
MODE_COLOURS = {
    "symmetric_mutualism": "#0b6e4f",
    "asymmetric_mutualism": "#6bbf59",
    "commensalism": "#2b6cb0",
    "independent": "#a0aec0",
    "amensalism": "#d69e2e",
    "parasitism": "#c53030",
    "competition": "#805ad5",
}
ORGANISATION_MODES = ("integrated", "continuous", "intermittent", "point")
ORGANISATION_LABELS = {
    "point": pgettext_lazy("organisation mode", "point"),
    "intermittent": pgettext_lazy("organisation mode", "intermittent"),
    "continuous": pgettext_lazy("organisation mode", "continuous"),
    "integrated": pgettext_lazy("organisation mode", "integrated"),
}
GROUPS = ("government", "school", "enterprise", "research", "other")
GROUP_LABELS = {
    "government": gettext_lazy("government"),
    "school": gettext_lazy("schools"),
    "enterprise": gettext_lazy("enterprises"),
    "research": gettext_lazy("research"),
    "other": gettext_lazy("other"),
}
GROUP_COLOURS = {
    "government": "#b7791f",
    "school": "#2b6cb0",
    "enterprise": "#0b6e4f",
    "research": "#805ad5",
    "other": "#718096",
}


def mode_label(mode: str | None) -> str:
    return str(MODE_LABELS.get(mode or "", mode or "—"))


def organisation_label(mode: str | None) -> str:
    return str(ORGANISATION_LABELS.get(mode or "", mode or "—"))


def group_label(group: str) -> str:
    return str(GROUP_LABELS.get(group, group))


def mode_legend() -> list[dict[str, str]]:
    """The legend of edge colours, shown beside the graph."""
    return [{"mode": m, "label": mode_label(m), "colour": MODE_COLOURS[m]} for m in MODES]


ALERT_LABELS = {
    "free_rider": gettext_lazy("free rider"),
    "parasitic_pair": gettext_lazy("parasitic pair"),
    "inactive_member": gettext_lazy("joined but not cooperating"),
    "school_hot_enterprise_cold": gettext_lazy("schools keen, enterprises cold"),
    "concentration": gettext_lazy("dependence on one lead unit"),
}
