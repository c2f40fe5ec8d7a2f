"""The one django-tasks task: "run job N". The queue carries only the job's id; the job's
state, progress and errors live in :class:`gongsheng.jobs.models.Job`."""

from __future__ import annotations

from django_tasks import TaskContext, task


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> str:
    from gongsheng.jobs.runner import execute

    worker = (context.task_result.worker_ids or ["worker"])[-1]
    return execute(int(job_id), worker_id=str(worker))
