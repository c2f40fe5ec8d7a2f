"""Job kinds used by the tests (registered on import)."""

from __future__ import annotations

from gongsheng.jobs.registry import JobFailed, job_kind

CALLS: dict[str, int] = {}


@job_kind("test.flaky", label="Flaky", attempts=3, backoff=0)
def flaky(ctx):
    """Fails until its ``fail_times`` runs are used up, then succeeds."""
    key = f"flaky-{ctx.job.pk}"
    CALLS[key] = CALLS.get(key, 0) + 1
    ctx.progress(CALLS[key], 3, f"run {CALLS[key]}")
    if CALLS[key] <= ctx.params["fail_times"]:
        raise RuntimeError(f"boom {CALLS[key]}")
    ctx.save_file("out.txt", "共生 ok".encode())
    return {"runs": CALLS[key]}


@job_kind("test.refuse", label="Refuse", attempts=3, backoff=0)
def refuse(ctx):
    raise JobFailed("the input is wrong", result={"problems": ["A1"]})


@job_kind("test.steps", label="Steps", attempts=2, backoff=0)
def steps(ctx):
    total = ctx.params.get("total", 5)
    for i in range(total):
        ctx.progress(i, total, f"step {i}")
    return {"done": total}


@job_kind("test.slow", label="Slow", attempts=3, backoff=0)
def slow(ctx):
    """``steps`` steps of ``sleep`` seconds each, reporting progress at every step."""
    import time

    total = ctx.params["steps"]
    for i in range(total):
        ctx.progress(i, total, f"step {i}")
        time.sleep(ctx.params["sleep"])
    return {"steps": total}
