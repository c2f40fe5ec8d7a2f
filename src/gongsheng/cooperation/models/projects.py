"""Cooperation projects: lifecycle, milestones, budget, participants' inputs and outputs."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongsheng.cooperation.choices import (
    FundingSource,
    ParticipantRole,
    ProjectStatus,
    ProjectType,
)
from gongsheng.core.models import TimeStamped, Versioned, consortium_fk, unit_fk, user_fk


class Project(Versioned):
    consortium = consortium_fk("projects")
    code = models.CharField(_("code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=30, choices=ProjectType.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    lead_unit = unit_fk(_("lead unit"), "led_projects")
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True, editable=False)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["consortium", "status"], name="coop_project_status"),
            models.Index(fields=["consortium", "type"], name="coop_project_type"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="coop_project_dates",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name

    @property
    def pool(self) -> str:
        return f"project:{self.pk}"


class ProjectTransition(models.Model):
    """One move of a project through its lifecycle: who, when, why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=ProjectStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ProjectStatus.choices)
    on = models.DateField(_("date"))
    actor = user_fk(_("by"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("project transition")
        verbose_name_plural = _("project transitions")
        ordering = ["project", "on", "id"]

    def __str__(self) -> str:
        return f"{self.project}: {self.from_status} → {self.to_status}"


class Milestone(TimeStamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="coop_milestone_progress")
        ]

    def __str__(self) -> str:
        return self.title


class BudgetLine(TimeStamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget")
    source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    unit = unit_fk(_("funding unit"), optional=True)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project", "source", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="coop_budget_pos")]

    def __str__(self) -> str:
        return f"{self.source}: {self.amount}"


class Participant(TimeStamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    unit = unit_fk(_("unit"), "project_participations")
    role = models.CharField(
        _("role"), max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.PARTNER
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "unit"], name="coop_participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.role})"


class ProjectInput(TimeStamped):
    """What one participant commits to put in, and what it actually put in (a ledger category)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="inputs")
    unit = unit_fk(_("unit"))
    category = models.CharField(_("category"), max_length=40)
    committed = models.DecimalField(_("committed"), max_digits=16, decimal_places=4, default=0)
    actual = models.DecimalField(_("actual"), max_digits=16, decimal_places=4, default=0)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("participant input")
        verbose_name_plural = _("participant inputs")
        ordering = ["project", "unit_id", "category", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(actual__gte=0), name="coop_input_nonnegative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.category}: {self.actual}/{self.committed}"


class ProjectOutput(TimeStamped):
    """A result of the project delivered to a receiving unit (a ledger category)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outputs")
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=40)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=4)
    receiver = unit_fk(_("receiving unit"))
    on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("project output")
        verbose_name_plural = _("project outputs")
        ordering = ["project", "on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="coop_output_positive")
        ]

    def __str__(self) -> str:
        return self.title
