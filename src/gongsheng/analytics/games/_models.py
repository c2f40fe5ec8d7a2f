"""The school–enterprise and government–school–enterprise models."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping

import numpy as np

from gongsheng.analytics.games._game import ReplicatorGame


# ---------------------------------------------------------------------------------------
# the two standard models
# ---------------------------------------------------------------------------------------
def _se_payoffs(*, delta_r, alpha, c_s, c_e, s_s, s_e, g_s, g_e, t, f):
    """School–enterprise payoff table, broadcast over array parameters: (...,2,2,2)."""
    a = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (delta_r, alpha, c_s, c_e, s_s, s_e, g_s, g_e, t, f))
    )
    dr, al, cs, ce, ss, se, gs, ge, tt, ff = a
    P = np.zeros((*dr.shape, 2, 2, 2))
    P[..., 0, 0, 0] = al * dr - cs + gs
    P[..., 0, 0, 1] = (1 - al) * dr - ce + ge + tt
    P[..., 0, 1, 0] = -cs + gs + ff
    P[..., 0, 1, 1] = se - ff
    P[..., 1, 0, 0] = ss - ff
    P[..., 1, 0, 1] = -ce + ge + tt + ff
    return P


def _gse_payoffs(*, delta_r, alpha, c_s, c_e, s_s, s_e, g_s, g_e, t, p_s, p_e, c_g, l):  # noqa: E741
    """Government–school–enterprise payoff table, broadcast: (...,2,2,2,3)."""
    a = np.broadcast_arrays(
        *(
            np.asarray(v, dtype=float)
            for v in (delta_r, alpha, c_s, c_e, s_s, s_e, g_s, g_e, t, p_s, p_e, c_g, l)
        )
    )
    dr, al, cs, ce, ss, se, gs, ge, tt, ps, pe, cg, ll = a
    P = np.zeros((*dr.shape, 2, 2, 2, 3))
    for s_, e_, g_ in itertools.product((0, 1), repeat=3):
        sc, ec, ga = s_ == 0, e_ == 0, g_ == 0  # cooperating / active
        # school: cooperate earns αΔR if the enterprise cooperates, pays C_s, gets G_s from an
        # active government; defect gets the spill-over S_s and the penalty P_s.
        P[..., s_, e_, g_, 0] = (al * dr * ec - cs + gs * ga) if sc else (ss * ec - ps * ga)
        P[..., s_, e_, g_, 1] = (
            ((1 - al) * dr * sc - ce + (ge + tt) * ga) if ec else (se * sc - pe * ga)
        )
        P[..., s_, e_, g_, 2] = (
            (ll - cg - gs * sc - (ge + tt) * ec + ps * (not sc) + pe * (not ec)) if ga else 0.0
        )
    return P


#: the parameters of the school–enterprise game, which the three-player game also has
_SHARED_PARAMS = ("delta_r", "alpha", "c_s", "c_e", "s_s", "s_e", "g_s", "g_e", "t")
_SE_PARAMS = (*_SHARED_PARAMS, "f")
_GSE_PARAMS = (*_SHARED_PARAMS, "p_s", "p_e", "c_g", "l")

#: model name -> (payoff builder, parameter names, population names, Chinese names)
MODELS: dict[str, tuple[Callable, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "school_enterprise": (_se_payoffs, _SE_PARAMS, ("school", "enterprise"), ("学校", "企业")),
    "government_school_enterprise": (
        _gse_payoffs,
        _GSE_PARAMS,
        ("school", "enterprise", "government"),
        ("学校", "企业", "政府"),
    ),
}

#: the illustrative values of the shared parameters
_SHARED_DEFAULTS = {
    "delta_r": 10.0,
    "alpha": 0.4,
    "c_s": 3.0,
    "c_e": 4.0,
    "s_s": 1.0,
    "s_e": 1.5,
    "g_s": 1.0,
    "g_e": 1.0,
    "t": 0.5,
}
#: Illustrative parameter sets (used by the command line and the demo; not estimates).
DEFAULT_PARAMETERS: dict[str, dict[str, float]] = {
    "school_enterprise": {**_SHARED_DEFAULTS, "f": 1.0},
    "government_school_enterprise": {
        **_SHARED_DEFAULTS,
        "p_s": 1.0,
        "p_e": 1.0,
        "c_g": 2.0,
        "l": 6.0,
    },
}


def _check_params(model: str, params: Mapping, *, scalar: bool = True) -> dict:
    names = MODELS[model][1]
    unknown = sorted(set(params) - set(names))
    if unknown:
        raise ValueError(f"unknown parameters {unknown} for model {model!r}; allowed: {names}")
    missing = [n for n in names if n not in params]
    if missing:
        raise ValueError(f"missing parameters {missing} for model {model!r}")
    out = {}
    for n in names:
        v = np.asarray(params[n], dtype=float)
        if scalar and v.ndim != 0:
            raise ValueError(f"`{n}` must be a number; got {params[n]!r}")
        if not np.all(np.isfinite(v)):
            raise ValueError(f"`{n}` must be finite; got {params[n]!r}")
        out[n] = v
    if np.any((out["alpha"] < 0) | (out["alpha"] > 1)):
        raise ValueError(f"`alpha` must be in [0, 1]; got {params['alpha']!r}")
    return out


def school_enterprise(*, delta_r, alpha, c_s, c_e, s_s, s_e, g_s, g_e, t, f) -> ReplicatorGame:
    r"""The school–enterprise cooperation game as a :class:`ReplicatorGame` (k = 2).

    Payoffs (school ; enterprise), index 0 = cooperate:

    ===================  ==================================  ====================
    \                    enterprise cooperates               enterprise defects
    ===================  ==================================  ====================
    school cooperates    αΔR − C_s + G_s ; (1−α)ΔR − C_e     −C_s + G_s + F ;
                         + G_e + T                           S_e − F
    school defects       S_s − F ; −C_e + G_e + T + F        0 ; 0
    ===================  ==================================  ====================

    so that dx/dt = x(1−x)(G_s + F − C_s + (αΔR − S_s)y) and
    dy/dt = y(1−y)(G_e + T + F − C_e + ((1−α)ΔR − S_e)x).

    Parameters
    ----------
    delta_r : float
        Synergy gain ΔR of joint cooperation.
    alpha : float
        School's share α of ΔR, in [0, 1].
    c_s, c_e : float
        Costs of cooperating.
    s_s, s_e : float
        Spill-overs to a free rider.
    g_s, g_e : float
        Government subsidies to cooperators.
    t : float
        Tax incentive for a cooperating enterprise.
    f : float
        Default compensation paid by a defector to a cooperating partner.

    Returns
    -------
    ReplicatorGame
        Populations (school, enterprise).

    References
    ----------
    .. [1] Friedman, D. Econometrica 59(3) (1991) 637-666, doi:10.2307/2938222.
    .. [2] ``../shared/docs/MODELS.md``, school–enterprise model.

    Examples
    --------
    >>> from gongsheng.analytics.games import school_enterprise
    >>> g = school_enterprise(delta_r=10, alpha=0.4, c_s=3, c_e=4, s_s=1, s_e=1.5,
    ...                       g_s=1, g_e=1, t=0.5, f=1)
    >>> g.rhs([0.5, 0.5])   # 0.25·(1 + 1 − 3 + 3·0.5), 0.25·(1 + 0.5 + 1 − 4 + 4.5·0.5)
    array([0.125 , 0.1875])
    """
    p = _check_params(
        "school_enterprise",
        {
            "delta_r": delta_r,
            "alpha": alpha,
            "c_s": c_s,
            "c_e": c_e,
            "s_s": s_s,
            "s_e": s_e,
            "g_s": g_s,
            "g_e": g_e,
            "t": t,
            "f": f,
        },
    )
    return ReplicatorGame(_se_payoffs(**p), names=MODELS["school_enterprise"][2])


def government_school_enterprise(
    *,
    delta_r,
    alpha,
    c_s,
    c_e,
    s_s,
    s_e,
    g_s,
    g_e,
    t,
    p_s,
    p_e,
    c_g,
    l,  # noqa: E741
) -> ReplicatorGame:
    r"""The government–school–enterprise game as a :class:`ReplicatorGame` (k = 3).

    Only an active government pays the subsidies and tax incentive and fines defectors. Payoffs
    (index 0 = cooperate / active): a cooperating school gets αΔR·[enterprise cooperates] − C_s
    + G_s·[government active], a defecting one S_s·[enterprise cooperates] − P_s·[active]; the
    enterprise likewise with (1−α)ΔR, C_e, G_e + T, S_e, P_e; an active government gets
    L − C_g − G_s·[school cooperates] − (G_e + T)·[enterprise cooperates] + P_s·[school defects]
    + P_e·[enterprise defects], a passive one 0. Hence

    Δ_s = −C_s + z(G_s + P_s) + y(αΔR − S_s),
    Δ_e = −C_e + z(G_e + T + P_e) + x((1−α)ΔR − S_e),
    Δ_g = L − C_g − xG_s − y(G_e + T) + (1−x)P_s + (1−y)P_e,

    and dx/dt = x(1−x)Δ_s, dy/dt = y(1−y)Δ_e, dz/dt = z(1−z)Δ_g.

    Parameters
    ----------
    delta_r, alpha, c_s, c_e, s_s, s_e, g_s, g_e, t : float
        As in :func:`school_enterprise`.
    p_s, p_e : float
        Penalties on a defecting school / enterprise levied by an active government.
    c_g : float
        The government's cost of being active (supervision).
    l : float
        Credibility benefit L of an active government.

    Returns
    -------
    ReplicatorGame
        Populations (school, enterprise, government); corners in that order.

    References
    ----------
    .. [1] Selten, R. J. Theor. Biol. 84(1) (1980) 93-101, doi:10.1016/S0022-5193(80)81038-1.
    .. [2] ``../shared/docs/MODELS.md``, government–school–enterprise model.

    Examples
    --------
    >>> from gongsheng.analytics.games import government_school_enterprise
    >>> g = government_school_enterprise(delta_r=10, alpha=0.4, c_s=3, c_e=4, s_s=1, s_e=1.5,
    ...     g_s=1, g_e=1, t=0.5, p_s=1, p_e=1, c_g=2, l=6)
    >>> g.delta([1.0, 1.0, 1.0])   # −3 + 2 + 3, −4 + 2.5 + 4.5, 6 − 2 − 1 − 1.5
    array([2. , 3. , 1.5])
    >>> g.ess()   # an active government alone does not lift (0, 0): its incentives are too small
    array([[0., 0., 1.],
           [1., 1., 1.]])
    """
    p = _check_params(
        "government_school_enterprise",
        {
            "delta_r": delta_r,
            "alpha": alpha,
            "c_s": c_s,
            "c_e": c_e,
            "s_s": s_s,
            "s_e": s_e,
            "g_s": g_s,
            "g_e": g_e,
            "t": t,
            "p_s": p_s,
            "p_e": p_e,
            "c_g": c_g,
            "l": l,
        },
    )
    return ReplicatorGame(_gse_payoffs(**p), names=MODELS["government_school_enterprise"][2])
