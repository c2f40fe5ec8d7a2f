"""The runs behind the modelling pages: series in, JSON-ready payloads out.

No database here: selectors gather the (scoped) series and parameters, these functions call
``gongsheng.analytics`` and turn its result objects into plain dicts that pages, the API and
saved scenarios share. Nothing is re-implemented: the fit, the equilibrium, the modes, the ESS,
the basins and the thresholds all come from the analytics package; this module only adds the
reading of their uncertainty (decision 0706).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from gongsheng.analytics.dynamics import LogisticSystem, fit_logistic
from gongsheng.analytics.games import (
    DEFAULT_PARAMETERS,
    government_school_enterprise,
    sweep,
)
from gongsheng.analytics.reasons import Reason
from gongsheng.analytics.symbiosis import classify_behaviour

MODEL = "government_school_enterprise"
#: two-sided 95 % normal quantile: a coefficient is "significant" when |a| > Z·se
Z = 1.959963984540054
#: draws from the fit's covariance for the uncertainty of equilibrium and surplus
DRAWS = 400
#: years the fitted curves are drawn beyond the last observation
PROJECTION_YEARS = 5
#: cap on the fit's least-squares evaluations, so a page answers within a few seconds even when
#: a short series does not converge (reported as such)
FIT_MAX_NFEV = 80
#: cap on the basins' right-hand-side evaluations (one vectorised solve of every start): the
#: consortium-scaled games need about 200; parameters in mixed units (万元 incentives beside
#: single-digit costs) make the system stiff, and the cap keeps that page under a second,
#: reporting the basins as not reached instead of taking 8 s to say the same
BASIN_MAX_NFEV = 2_000


def parameter_count(n: int) -> int:
    """Parameters of an n-unit Logistic fit: r_i, N_i, x0_i and the n(n − 1) a_ij = n(n + 2)."""
    return n * (n + 2)


def periods_needed(n: int) -> int:
    """Fewest periods T with more observations than parameters, T·n > n(n + 2): T = n + 3."""
    return n + 3


def _f(v: Any) -> float | None:
    v = float(v)
    return v if math.isfinite(v) else None


def _fl(a: Any) -> list:
    return [_f(v) if np.ndim(v) == 0 else _fl(v) for v in np.asarray(a, dtype=float)]


# --- Logistic dynamics -------------------------------------------------------------------
def quality_matrix(
    years: Sequence[int],
    inputs: Mapping[str, Sequence[float]],
    outputs: Mapping[str, Sequence[float]],
    *,
    groups: Sequence[str],
    quality: str,
    measure: str,
) -> np.ndarray:
    """The (T, n) matrix of the chosen quality parameter: outputs, inputs or outputs − inputs
    per year, or their running sums (``measure="cumulative"``)."""
    cols = []
    for g in groups:
        i = np.asarray(inputs.get(g, [0.0] * len(years)), dtype=float)
        o = np.asarray(outputs.get(g, [0.0] * len(years)), dtype=float)
        col = {"outputs": o, "inputs": i, "net": o - i}[quality]
        cols.append(np.cumsum(col) if measure == "cumulative" else col)
    return np.column_stack(cols) if cols else np.zeros((len(years), 0))


def logistic_run(
    years: Sequence[int],
    X: np.ndarray,
    *,
    groups: Sequence[str],
    labels: Sequence[str],
    seed: int = 0,
) -> dict[str, Any]:
    """Fit the Logistic system to the usable periods of ``X`` and read it.

    A period is usable when every chosen group has a positive value in it (the model is for
    positive quantities). With fewer usable periods than :func:`periods_needed` nothing is
    fitted and the payload says how many more periods are needed.
    """
    n = len(groups)
    years = [int(y) for y in years]
    X = np.asarray(X, dtype=float).reshape(len(years), n)
    usable = np.all(X > 0, axis=1) if n else np.zeros(len(years), dtype=bool)
    dropped = [
        {"year": y, "groups": [labels[j] for j in range(n) if X[k, j] <= 0]}
        for k, y in enumerate(years)
        if not usable[k]
    ]
    uy = [y for k, y in enumerate(years) if usable[k]]
    Xu = X[usable]
    p = parameter_count(n)
    need = periods_needed(n)
    out: dict[str, Any] = {
        "groups": list(groups),
        "labels": list(labels),
        "years": years,
        "observed": _fl(X),
        "usable_years": uy,
        "dropped": dropped,
        "parameters": p,
        "observations": len(uy) * n,
        "periods": len(uy),
        "periods_needed": need,
        "more_periods": max(need - len(uy), 0),
    }
    if n < 2:
        out["status"] = "too_few_groups"
        return out
    if len(uy) < need:
        out["status"] = "not_enough_periods"
        return out
    t = np.asarray(uy, dtype=float) - uy[0]
    # fit on the series divided by their means, so the parameters are of like size (the
    # standard errors come from a pseudo-inverse that would drop the capacities' direction at
    # CNY scale); r and a_ij do not depend on the unit, N, x0 and x* scale back (decision 0706)
    s = Xu.mean(axis=0)
    try:
        fit = fit_logistic(t, Xu / s, max_nfev=FIT_MAX_NFEV)
    except ValueError as exc:
        out["status"] = "failed"
        out["message"] = str(exc)  # English; the code, where the check has one, for the page
        out["message_code"] = _code(exc.args[0] if exc.args else None)
        return out
    N, se_N, x0 = fit.N * s, fit.se_N * s, fit.x0 * s
    sysm = LogisticSystem(fit.r, N, fit.A)
    eq = sysm.equilibrium()
    A, seA = fit.A, fit.se_A
    pairs = []
    for i in range(n):
        for j in range(i + 1, n):
            a, b = float(A[i, j]), float(A[j, i])
            sa, sb = float(seA[i, j]), float(seA[j, i])
            sig_a = bool(np.isfinite(sa) and abs(a) > Z * sa)
            sig_b = bool(np.isfinite(sb) and abs(b) > Z * sb)
            point = classify_behaviour(a, b)
            robust = classify_behaviour(a if sig_a else 0.0, b if sig_b else 0.0)
            robust_value = getattr(robust, "value", str(robust))
            if robust_value == "asymmetric_mutualism":
                cov = fit.covariance
                ia, ib = _a_index(n, i, j), _a_index(n, j, i)
                var = (
                    cov[ia, ia] + cov[ib, ib] - 2 * cov[ia, ib]
                    if cov is not None and np.all(np.isfinite(cov[[ia, ib]][:, [ia, ib]]))
                    else float("nan")
                )
                if np.isfinite(var) and abs(a - b) <= Z * math.sqrt(max(var, 0.0)):
                    robust_value = "symmetric_mutualism"
            pairs.append(
                {
                    "i": i, "j": j, "a_ij": _f(a), "se_ij": _f(sa), "a_ji": _f(b),
                    "se_ji": _f(sb), "significant_ij": sig_a, "significant_ji": sig_b,
                    "mode": getattr(point, "value", str(point)), "mode_robust": robust_value,
                    "agree": getattr(point, "value", str(point)) == robust_value,
                }
            )  # fmt: skip
    # fitted curves on a dense grid, projected a few years beyond the data
    t_end = float(t[-1]) + PROJECTION_YEARS
    dense = np.linspace(0.0, t_end, 121)
    traj = sysm.simulate(x0, dense)
    curve_t = (dense[: len(traj.x)] + uy[0]).tolist()
    out.update(
        status="fitted",
        success=fit.success,
        message=fit.message,
        r=_fl(fit.r), se_r=_fl(fit.se_r), N=_fl(N), se_N=_fl(se_N),
        A=_fl(A), se_A=_fl(seA), x0=_fl(x0),
        r2=_f(fit.r2), r2_units=_fl(fit.r2_units), rmse=_fl(fit.rmse * s), aic=_f(fit.aic),
        fitted=_fl(fit.fitted * s),
        curve={"t": [round(v, 4) for v in curve_t], "x": _fl(traj.x)},
        equilibrium={
            "status": eq.status, "x": _fl(eq.x), "feasible": bool(eq.feasible),
            "stable": bool(eq.stable), "eigenvalues_real": _fl(np.real(eq.eigenvalues)),
            "eigenvalues_imag": _fl(np.imag(eq.eigenvalues)),
            "spectral_radius": _f(eq.spectral_radius), "message": eq.message,
            "message_code": _code(eq.message),
        },
        surplus=_f(sysm.surplus()),
        pairs=pairs,
        uncertainty=_equilibrium_uncertainty(fit, n, s, seed=seed),
    )  # fmt: skip
    return out


def _a_index(n: int, i: int, j: int) -> int:
    """Position of a_ij in the fit's parameter vector (r, N, off-diagonal a row-major, x0)."""
    k = 0
    for p in range(n):
        for q in range(n):
            if p != q:
                if (p, q) == (i, j):
                    return 2 * n + k
                k += 1
    raise ValueError((i, j))


def _equilibrium_uncertainty(fit: Any, n: int, s: np.ndarray, *, seed: int) -> dict[str, Any]:
    """Equilibrium and surplus over draws of θ ~ N(θ̂, Cov(θ̂)) (the fit's covariance, on the
    series scaled by ``s``; x* and the surplus are scaled back)."""
    cov = fit.covariance
    na = n * (n - 1)
    k = 2 * n + na
    if cov is None or not np.all(np.isfinite(cov[:k, :k])):
        return {"draws": 0, "message": "The fit gives no usable covariance."}
    off = ~np.eye(n, dtype=bool)
    theta = np.concatenate([fit.r, fit.N, fit.A[off]])
    rng = np.random.default_rng(seed)
    try:
        sample = rng.multivariate_normal(theta, cov[:k, :k], size=DRAWS, method="eigh")
    except (ValueError, np.linalg.LinAlgError):
        return {"draws": 0, "message": "The fit's covariance is not positive semi-definite."}
    xs, surplus, statuses = [], [], {"feasible_stable": 0, "feasible_unstable": 0}
    invalid = 0
    for th in sample:
        r, N = th[:n], th[n : 2 * n]
        if np.any(r <= 0) or np.any(N <= 0):
            invalid += 1
            continue
        A = np.zeros((n, n))
        A[off] = th[2 * n :]
        eq = LogisticSystem(r, N, A).equilibrium()
        if eq.feasible:
            statuses["feasible_stable" if eq.stable else "feasible_unstable"] += 1
            if eq.stable:
                xs.append(eq.x * s)
                surplus.append(float((eq.x * s).sum() - (N * s).sum()))
        else:
            statuses[eq.status] = statuses.get(eq.status, 0) + 1
    valid = DRAWS - invalid
    res: dict[str, Any] = {
        "draws": DRAWS,
        "valid": valid,
        "shares": {k_: (v / valid if valid else None) for k_, v in statuses.items()},
        "share_stable": (statuses["feasible_stable"] / valid) if valid else None,
    }
    if xs:
        xa = np.array(xs)
        res["x_lo"] = _fl(np.percentile(xa, 2.5, axis=0))
        res["x_hi"] = _fl(np.percentile(xa, 97.5, axis=0))
        res["surplus_lo"] = _f(np.percentile(surplus, 2.5))
        res["surplus_hi"] = _f(np.percentile(surplus, 97.5))
    return res


# --- the government–school–enterprise game -------------------------------------------
def nice_ceiling(x: float) -> float:
    """The smallest 1, 2 or 5 × 10^k at or above ``x`` (20 for nothing positive).

    >>> nice_ceiling(923.8), nice_ceiling(20), nice_ceiling(0.03), nice_ceiling(0)
    (1000.0, 20.0, 0.05, 20.0)
    """
    if not x > 0:
        return 20.0
    k = math.floor(math.log10(x))
    for m in (1, 2, 5, 10):
        v = float(f"{m * 10.0**k:.12g}")
        if v >= x * (1 - 1e-12):
            return v
    return float(f"{10.0 ** (k + 1):.12g}")


def default_game_parameters() -> dict[str, float]:
    """The illustrative parameters of the command line (``gongsheng game``)."""
    return dict(DEFAULT_PARAMETERS[MODEL])


def _code(message: Any) -> Any:
    """A message's code and parameters (rendered in the reader's language, decision 0808)."""
    return message.as_dict() if isinstance(message, Reason) else None


def _corner_label(c: Sequence[float]) -> str:
    return "(" + ", ".join(str(round(float(v))) for v in c) + ")"


def game_run(
    params: Mapping[str, float],
    *,
    grid: int = 5,
    sweep_param: str = "p_e",
    bracket_hi: float = 20.0,
    num: int = 201,
    thresholds_for: Sequence[str] = ("g_s", "g_e", "t", "p_s", "p_e"),
) -> dict[str, Any]:
    """Rest points with their stability, ESS, basin shares, phase trajectories and the
    cooperation thresholds of the government–school–enterprise game."""
    p = {k: float(v) for k, v in params.items()}
    game = government_school_enterprise(**p)
    equilibria = []
    for e in game.equilibria():
        equilibria.append(
            {
                "x": _fl(e.x), "kind": e.kind, "type": e.type,
                "eigenvalues_real": _fl(np.real(e.eigenvalues)),
                "eigenvalues_imag": _fl(np.imag(e.eigenvalues)),
                "label": _corner_label(e.x) if e.kind == "corner" else None,
            }
        )  # fmt: skip
    ess = game.ess()
    b = game.basins(int(grid), max_nfev=BASIN_MAX_NFEV)
    # phase trajectories from the corners of an inner cube and its centre
    starts = [[a, c, d] for a in (0.2, 0.8) for c in (0.2, 0.8) for d in (0.2, 0.8)]
    starts.append([0.5, 0.5, 0.5])
    t_end = float(min(b.t_max, 60.0))
    trajectories = []
    for s in starts:
        tr = game.simulate(s, np.linspace(0.0, t_end, 61), rtol=1e-6, atol=1e-9)
        trajectories.append({"start": s, "t": _fl(tr.t), "x": _fl(tr.x)})
    thresholds = []
    sweep_detail = None
    values = np.linspace(0.0, float(bracket_hi), int(num))
    names = list(dict.fromkeys([*thresholds_for, sweep_param]))
    for name in names:
        others = {k: v for k, v in p.items() if k != name}
        sw = sweep(MODEL, name, values, params=others)
        thresholds.append(
            {
                "param": name, "current": p[name], "threshold": _f(sw.threshold),
                "message": sw.threshold_message,
                "message_code": _code(sw.threshold_message),
                "enough_now": bool(np.isfinite(sw.threshold) and p[name] >= sw.threshold),
                "changes": [
                    {"value": c.value, "ess": [_corner_label(e) for e in c.ess]}
                    for c in sw.changes()
                ],
            }
        )  # fmt: skip
        if name == sweep_param:
            sweep_detail = {
                "param": name,
                "values": _fl(sw.values),
                "n_ess": [int(v) for v in sw.n_ess],
                "target_only": [bool(v) for v in sw.target_only],
                "corners": [_corner_label(c) for c in sw.corners],
                "ess": [[bool(v) for v in row] for row in sw.ess],
                "threshold": _f(sw.threshold),
                "message": sw.threshold_message,
                "message_code": _code(sw.threshold_message),
            }
    return {
        "model": MODEL,
        "params": p,
        "populations": list(game.names),
        "equilibria": equilibria,
        "ess": [_corner_label(e) for e in ess],
        "cooperative_only": _target_only_now(ess),
        "basins": {
            "grid": int(grid), "starts": len(b.starts),
            "ess": [_corner_label(e) for e in b.ess], "shares": _fl(b.shares),
            "unassigned": _f(b.unassigned), "t_max": _f(b.t_max), "success": bool(b.success),
        },
        "trajectories": trajectories,
        "thresholds": [t_ for t_ in thresholds if t_["param"] in thresholds_for],
        "sweep": sweep_detail,
        "bracket": [0.0, float(bracket_hi)],
    }  # fmt: skip


def _target_only_now(ess: np.ndarray) -> bool:
    return len(ess) == 1 and bool(np.all(ess[0] == 1))
