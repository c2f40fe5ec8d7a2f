"""Framework-free science for industry-education consortia.

This package depends on NumPy and SciPy only: it imports no Django and no
other part of :mod:`gongsheng` (an import-linter contract checked in CI), so
researchers can use it on their own data.

Modules
-------
evaluation
    Indicator weights (entropy, CRITIC, AHP), TOPSIS, fuzzy and grey
    evaluation, coupling coordination, multi-level indicator trees.
allocation
    Benefit distribution: exact and Monte Carlo Shapley values, modified
    Shapley, Nash bargaining, the core.
symbiosis
    Symbiosis degree and share, behavioural and organisational modes, energy.
dynamics
    Logistic (Lotka-Volterra) symbiosis systems and their fitting.
games
    Replicator dynamics and the school-enterprise(-government) games.
"""
