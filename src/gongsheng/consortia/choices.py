from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    NATIONAL = "national", _("national")
    PROVINCIAL = "provincial", _("provincial")
    MUNICIPAL = "municipal", _("municipal")


class ConsortiumStatus(models.TextChoices):
    BUILDING = "building", _("under construction")
    RUNNING = "running", _("running")
    MONITORING = "monitoring", _("under monitoring")
    ADJUSTING = "adjusting", _("adjusting")
    EXITED = "exited", _("exited")


class UnitType(models.TextChoices):
    GOVERNMENT = "government", _("government")
    PARK_COMMITTEE = "park_committee", _("park management committee")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("secondary vocational school")
    HIGHER_VOCATIONAL = "higher_vocational", _("higher vocational college")
    VOCATIONAL_UNDERGRADUATE = "vocational_undergraduate", _("vocational undergraduate university")
    UNDERGRADUATE = "undergraduate", _("undergraduate university")
    ENTERPRISE = "enterprise", _("enterprise")
    RESEARCH_INSTITUTE = "research_institute", _("research institute")
    INDUSTRY_ASSOCIATION = "industry_association", _("industry association")
    OTHER = "other", _("other")


GOVERNMENT_TYPES = frozenset({UnitType.GOVERNMENT, UnitType.PARK_COMMITTEE})
SCHOOL_TYPES = frozenset(
    {
        UnitType.SECONDARY_VOCATIONAL,
        UnitType.HIGHER_VOCATIONAL,
        UnitType.VOCATIONAL_UNDERGRADUATE,
        UnitType.UNDERGRADUATE,
    }
)


class Rank(models.TextChoices):
    CHAIR = "chair", _("chair unit")
    EXECUTIVE_CHAIR = "executive_chair", _("executive chair unit")
    VICE_CHAIR = "vice_chair", _("vice-chair unit")
    COUNCIL = "council", _("council member unit")
    MEMBER = "member", _("member unit")


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", _("applied")
    ADMITTED = "admitted", _("admitted")
    WITHDRAWN = "withdrawn", _("withdrawn")
    EXPELLED = "expelled", _("expelled")
    REFUSED = "refused", _("refused")


#: allowed moves of the membership lifecycle
MEMBERSHIP_TRANSITIONS: dict[str, frozenset[str]] = {
    MembershipStatus.APPLIED: frozenset(
        {MembershipStatus.ADMITTED, MembershipStatus.REFUSED, MembershipStatus.WITHDRAWN}
    ),
    MembershipStatus.ADMITTED: frozenset({MembershipStatus.WITHDRAWN, MembershipStatus.EXPELLED}),
    MembershipStatus.WITHDRAWN: frozenset({MembershipStatus.APPLIED}),
    MembershipStatus.EXPELLED: frozenset({MembershipStatus.APPLIED}),
    MembershipStatus.REFUSED: frozenset({MembershipStatus.APPLIED}),
}


class MembershipEventKind(models.TextChoices):
    APPLIED = "applied", _("applied")
    ADMITTED = "admitted", _("admitted")
    RANK_CHANGED = "rank_changed", _("rank changed")
    DETAILS_CHANGED = "details_changed", _("details changed")
    WITHDRAWN = "withdrawn", _("withdrawn")
    EXPELLED = "expelled", _("expelled")
    REFUSED = "refused", _("refused")
