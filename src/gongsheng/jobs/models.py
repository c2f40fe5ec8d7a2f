"""Background jobs (后台作业) and the periodic sweeps' claims.

A :class:`Job` is our own record of one piece of background work: who started it, for which
consortium, its state, progress, attempts, error and result. django-tasks (database backend)
only carries the "run job N" message to a worker; everything people see is here.
A :class:`SweepRun` is one periodic sweep's row: claimed by one worker at a time.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongsheng.core.models import consortium_fk, user_fk


class JobState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("job state", "queued")
    RUNNING = "running", pgettext_lazy("job state", "running")
    RETRYING = "retrying", pgettext_lazy("job state", "waiting to retry")
    SUCCEEDED = "succeeded", pgettext_lazy("job state", "succeeded")
    FAILED = "failed", pgettext_lazy("job state", "failed")


#: states in which a job still has work to do
ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING, JobState.RETRYING)
FINISHED_STATES = (JobState.SUCCEEDED, JobState.FAILED)


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=80, db_index=True)
    user = user_fk(_("started by"))
    consortium = consortium_fk("+", on_delete=models.CASCADE, optional=True)
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    #: a key that makes a second start of the same work return the active job (dedupe)
    dedupe_key = models.CharField(max_length=200, blank=True, db_index=True)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    progress_message = models.CharField(_("progress"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("attempt limit"), default=3)
    #: the message for people (in the platform's language) and the traceback for admins
    error = models.TextField(_("error"), blank=True)
    traceback = models.TextField(_("traceback"), blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    #: files the job wrote, ``{name: storage path}`` (under the data directory, by storage)
    files = models.JSONField(_("files"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    run_after = models.DateTimeField(_("run after"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    request_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="jobs_state_beat_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "dedupe_key"],
                condition=models.Q(state__in=["queued", "running", "retrying"])
                & ~models.Q(dedupe_key=""),
                name="jobs_one_active_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def label(self) -> str:
        from gongsheng.jobs.registry import kinds

        kind = kinds().get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def result_template(self) -> str:
        from gongsheng.jobs.registry import kinds

        kind = kinds().get(self.kind)
        return kind.result_template if kind else ""

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))


class SweepRun(models.Model):
    """One registered sweep: when it runs next, who holds it now, how its last run went."""

    name = models.CharField(_("sweep"), max_length=80, unique=True)
    next_run_at = models.DateTimeField(_("next run"))
    lease_until = models.DateTimeField(_("held until"), null=True, blank=True)
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_result = models.CharField(_("last result"), max_length=500, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic sweep")
        verbose_name_plural = _("periodic sweeps")

    def __str__(self) -> str:
        return self.name
