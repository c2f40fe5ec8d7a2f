"""Shaping a run's JSON payload into rows the templates show (live runs and saved scenarios)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from gongsheng.core.reasons import reason_text
from gongsheng.diagnosis.labels import MODE_LABELS
from gongsheng.modelling.charts import logistic_option, phase_option, sweep_option

EQUILIBRIUM_KINDS = {
    "corner": pgettext_lazy("rest point", "corner"),
    "edge": pgettext_lazy("rest point", "edge"),
    "face": pgettext_lazy("rest point", "face"),
    "interior": pgettext_lazy("rest point", "interior"),
}
#: SciPy's ``least_squares`` messages for a fit that stopped before converging
OPTIMISER_MESSAGES = {
    "The maximum number of function evaluations is exceeded.": gettext_lazy(
        "The maximum number of function evaluations is exceeded."
    ),
}
EQUILIBRIUM_TYPES = {
    "ess": gettext_lazy("ESS (asymptotically stable)"),
    "unstable": gettext_lazy("unstable"),
    "saddle": gettext_lazy("saddle"),
    "centre": gettext_lazy("centre"),
    "non_hyperbolic": gettext_lazy("non-hyperbolic (linearisation decides nothing)"),
    "stable": gettext_lazy("stable"),
}
EQUILIBRIUM_STATUS = {
    "feasible": gettext_lazy("feasible"),
    "infeasible": gettext_lazy("no feasible interior equilibrium"),
    "unbounded": gettext_lazy("unbounded growth"),
    "singular": gettext_lazy("singular"),
}


def _g(v: float | None) -> str:
    """3 significant digits; rounding noise (|v| < 1e-9) and −0 shown as 0."""
    if v is None:
        return "—"
    return f"{0.0 if abs(v) < 1e-9 else v:.3g}"


def _pm(v: float | None, se: float | None) -> str:
    if v is None:
        return "—"
    if se is None:
        return f"{v:.4g}"
    return f"{v:.4g} ± {se:.2g}"


def logistic(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """Rows for ``_logistic_result.html``."""
    if not result:
        return None
    out: dict[str, Any] = {"r": result, "status": result.get("status")}
    labels = result.get("labels", [])
    n = len(labels)
    if result.get("status") != "fitted":
        # why the fit failed: an input check's code in the reader's language; an error
        # without one (from the optimiser) as its own words, quoted after a Chinese sentence
        out["message"] = reason_text(result.get("message_code") or "")
        out["detail"] = "" if out["message"] else result.get("message", "")
        out["dropped"] = [
            {"year": d["year"], "groups": ", ".join(d["groups"])} for d in result.get("dropped", [])
        ]
        return out
    eq = result["equilibrium"]
    unc = result.get("uncertainty") or {}
    out["optimiser_message"] = OPTIMISER_MESSAGES.get(result.get("message", ""), "")
    groups = []
    for i in range(n):
        lo = (unc.get("x_lo") or [None] * n)[i]
        hi = (unc.get("x_hi") or [None] * n)[i]
        groups.append(
            {
                "label": labels[i],
                "r": _pm(result["r"][i], result["se_r"][i]),
                "N": _pm(result["N"][i], result["se_N"][i]),
                "x0": result["x0"][i],
                "r2": result["r2_units"][i],
                "x_star": eq["x"][i],
                "x_interval": (lo, hi) if lo is not None else None,
            }
        )
    pairs = []
    for p in result["pairs"]:
        i, j = p["i"], p["j"]
        pairs.append(
            {
                "a": labels[i], "b": labels[j],
                "a_ij": _pm(p["a_ij"], p["se_ij"]), "a_ji": _pm(p["a_ji"], p["se_ji"]),
                "sig_ij": p["significant_ij"], "sig_ji": p["significant_ji"],
                "mode": MODE_LABELS.get(p["mode"], p["mode"]),
                "mode_robust": MODE_LABELS.get(p["mode_robust"], p["mode_robust"]),
                "agree": p["agree"],
            }
        )  # fmt: skip
    eig = [
        f"{re:.3g}" + (f" {'+' if im >= 0 else '−'} {abs(im):.3g}i" if im else "")
        for re, im in zip(eq["eigenvalues_real"], eq["eigenvalues_imag"], strict=False)
        if re is not None
    ]
    out.update(
        groups=groups,
        pairs=pairs,
        eq=eq,
        eq_message=reason_text(eq.get("message_code") or eq.get("message", "")),
        eq_status=EQUILIBRIUM_STATUS.get(eq["status"], eq["status"]),
        eigenvalues=", ".join(eig),
        unc=unc,
        chart=logistic_option(
            {
                "labels": labels,
                "years": result["usable_years"],
                "observed": [[row[j] for row in _usable_rows(result)] for j in range(n)],
                "curve_t": result["curve"]["t"],
                "curve": [[row[j] for row in result["curve"]["x"]] for j in range(n)],
                "equilibrium": eq["x"] if eq.get("feasible") else None,
                "last_year": result["usable_years"][-1] if result["usable_years"] else None,
            }
        ),
    )
    return out


def _usable_rows(result: dict[str, Any]) -> list[list[float]]:
    usable = set(result["usable_years"])
    return [row for y, row in zip(result["years"], result["observed"], strict=False) if y in usable]


def game(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """Rows for ``_game_result.html``."""
    if not result:
        return None
    eqs = []
    for e in result["equilibria"]:
        x = ", ".join(_g(v) for v in e["x"])
        eqs.append(
            {
                "x": e["label"] or f"({x})",
                "kind": EQUILIBRIUM_KINDS.get(e["kind"], e["kind"]),
                "type": EQUILIBRIUM_TYPES.get(e["type"], e["type"]),
                "is_ess": e["type"] == "ess",
                "non_hyperbolic": e["type"] == "non_hyperbolic",
                "eigenvalues": ", ".join(_g(v) for v in e["eigenvalues_real"]),
            }
        )
    basins = result["basins"]
    shares = [
        {"ess": lab, "share": s} for lab, s in zip(basins["ess"], basins["shares"], strict=False)
    ]
    thresholds = []
    for t in result["thresholds"]:
        thresholds.append(
            {
                "param": t["param"], "current": t["current"], "threshold": t["threshold"],
                "message": reason_text(t.get("message_code") or t["message"]),
                "enough_now": t["enough_now"],
                "changes": "; ".join(
                    f"≥ {c['value']:.4g}: {', '.join(c['ess']) or _('no ESS')}"
                    for c in t["changes"]
                ),
            }
        )  # fmt: skip
    return {
        "r": result,
        "equilibria": eqs,
        "shares": shares,
        "basins": basins,
        "sweep_message": reason_text(
            (result.get("sweep") or {}).get("message_code")
            or (result.get("sweep") or {}).get("message", "")
        ),
        "thresholds": thresholds,
        "charts": {
            "phase": phase_option(result),
            "sweep": sweep_option(result),
        },
    }
