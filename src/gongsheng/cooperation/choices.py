from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectType(models.TextChoices):
    JOINT_RD = "joint_rd", _("joint R&D")
    ORDER_CLASS = "order_class", _("order class")
    APPRENTICESHIP = "apprenticeship", _("apprenticeship")
    INDUSTRIAL_COLLEGE = "industrial_college", _("industrial college")
    TRAINING_BASE = "training_base", _("training-base co-construction")
    CURRICULUM = "curriculum", _("curriculum / textbook co-development")
    TEACHER_PRACTICE = "teacher_practice", _("teacher practice")
    SOCIAL_TRAINING = "social_training", _("social training")
    TECH_SERVICE = "tech_service", _("technical service")
    COMPETITION = "competition", _("competition")
    OTHER = "other", _("other")


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PROPOSED = "proposed", _("proposed")
    FEASIBILITY = "feasibility", _("feasibility review")
    APPROVED = "approved", _("approved")
    CONTRACTED = "contracted", _("contracted")
    IN_PROGRESS = "in_progress", _("in progress")
    ACCEPTANCE = "acceptance", _("acceptance")
    CLOSED = "closed", _("closed")
    TERMINATED = "terminated", _("terminated")


_ORDER = [
    "draft", "proposed", "feasibility", "approved", "contracted", "in_progress", "acceptance",
    "closed",
]  # fmt: skip
#: status -> statuses it may move to: the next step, one step back (for rework) and terminated
PROJECT_TRANSITIONS: dict[str, tuple[str, ...]] = {}
for _i, _s in enumerate(_ORDER[:-1]):
    _to = [_ORDER[_i + 1]]
    if _s in ("proposed", "feasibility"):
        _to.append("draft")
    _to.append("terminated")
    PROJECT_TRANSITIONS[_s] = tuple(_to)
PROJECT_TRANSITIONS["closed"] = ()
PROJECT_TRANSITIONS["terminated"] = ()
#: statuses at which a project has been approved: actual inputs are facts for the ledger
APPROVED_OR_LATER = frozenset(_ORDER[3:])
#: statuses at which a project's outputs have been accepted
ACCEPTED_OR_LATER = frozenset({"acceptance", "closed"})


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("lead")
    PARTNER = "partner", _("partner")
    BENEFICIARY = "beneficiary", _("beneficiary")
    SPONSOR = "sponsor", _("sponsor")


class FundingSource(models.TextChoices):
    GOVERNMENT = "government", _("government funds")
    SCHOOL = "school", _("school funds")
    ENTERPRISE = "enterprise", _("enterprise funds")
    SOCIAL = "social", _("social capital")
    BANK = "bank", _("bank loan")
    OTHER = "other", _("other")


class ContractType(models.TextChoices):
    COMMISSIONED_DEV = "commissioned_dev", _("commissioned development")
    COOPERATIVE_DEV = "cooperative_dev", _("cooperative development")
    TECH_TRANSFER = "tech_transfer", _("technology transfer")
    LICENCE = "licence", _("licence")
    TALENT_TRAINING = "talent_training", _("talent-training agreement")
    INTERNSHIP = "internship", _("internship agreement")
    RESOURCE_SHARING = "resource_sharing", _("resource-sharing agreement")
    FRAMEWORK = "framework", _("framework cooperation agreement")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_FORCE = "in_force", _("in force")
    ENDED = "ended", _("ended")
    TERMINATED = "terminated", _("terminated")


class PartyRole(models.TextChoices):
    COMMISSIONING = "commissioning", _("commissioning party")
    DEVELOPER = "developer", _("developer")
    CO_DEVELOPER = "co_developer", _("co-developer")
    TRANSFEROR = "transferor", _("transferor")
    TRANSFEREE = "transferee", _("transferee")
    LICENSOR = "licensor", _("licensor")
    LICENSEE = "licensee", _("licensee")
    SCHOOL = "school", _("school")
    ENTERPRISE = "enterprise", _("enterprise")
    PARTY = "party", _("party")


class BenefitMethod(models.TextChoices):
    FIXED = "fixed", _("fixed shares")
    BY_INPUT = "by_input", _("by input")
    SHAPLEY = "shapley", _("Shapley value (allocation engine)")
    NASH = "nash", _("Nash bargaining (allocation engine)")


class IPKind(models.TextChoices):
    PATENT = "patent", _("invention patent")
    UTILITY_MODEL = "utility_model", _("utility model")
    PATENT_APPLICATION = "patent_application", _("patent application")
    SOFTWARE_COPYRIGHT = "software_copyright", _("software copyright")
    KNOW_HOW = "know_how", _("know-how / technical secret")
    OTHER = "other", _("other")


class IPOrigin(models.TextChoices):
    OWN = "own", _("own development")
    COMMISSIONED = "commissioned", _("commissioned development")
    COOPERATIVE = "cooperative", _("cooperative development")


class LicenceKind(models.TextChoices):
    EXCLUSIVE = "exclusive", _("exclusive")
    SOLE = "sole", _("sole")
    GENERAL = "general", _("general")


class IPAction(models.TextChoices):
    TRANSFER = "transfer", _("transfer")
    LICENSE = "license", _("license")
    SUBLICENSE = "sublicense", _("sublicense")
    FILE = "file", _("file")
    PUBLISH = "publish", _("publish")
    USE = "use", _("use")


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("allowed")
    CONSENT = "consent", _("needs consent")
    FORBIDDEN = "forbidden", _("forbidden")
