"""Benchmarks (pytest-benchmark), run on demand, never in the default test run.

    .venv/bin/pip install -e '.[test,bench]'
    .venv/bin/python -m pytest benchmarks/

Each benchmark compares our code with the library people would otherwise use, in the same run;
docs/benchmarks.md records what this machine gave.
"""
