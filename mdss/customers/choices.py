from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerKind(models.TextChoices):
    PUBLIC_HOSPITAL = "public_hospital", _("public hospital")
    PRIVATE_HOSPITAL = "private_hospital", _("private hospital")
    CLINIC = "clinic", _("clinic")
    DEALER = "dealer", _("dealer / distributor")
    GOVERNMENT = "government", _("government / CDC")
    OTHER = "other", _("other")


class HospitalLevel(models.TextChoices):
    LEVEL_3 = "3", _("tertiary (三级)")
    LEVEL_2 = "2", _("secondary (二级)")
    LEVEL_1 = "1", _("primary (一级)")


class CustomerGrade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"


class CustomerStatus(models.TextChoices):
    POTENTIAL = "potential", _("potential")
    EXISTING = "existing", _("existing")


class SourceChannel(models.TextChoices):
    PHONE = "phone", _("phone marketing")
    ONLINE = "online", _("online promotion")
    TRADE_SHOW = "trade_show", _("trade show")
    VISIT = "visit", _("visit")
    ACADEMIC = "academic", _("academic meeting")
    REFERRAL = "referral", _("referral")
    TENDER = "tender", _("public tender")
    OTHER = "other", _("other")


# The channels of a development plan (S6) are the source channels one works through.
PlanChannel = SourceChannel


class BudgetCycle(models.TextChoices):
    ANNUAL = "annual", _("annual budget")
    HALF_YEAR = "half_year", _("half-yearly")
    QUARTERLY = "quarterly", _("quarterly")
    PROJECT = "project", _("per project")
    UNKNOWN = "", _("unknown")


class PurchasingRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", _("decision maker")
    CLINICAL_USER = "clinical_user", _("clinical user")
    EQUIPMENT = "equipment", _("equipment department")
    PURCHASING = "purchasing", _("purchasing")
    FINANCE = "finance", _("finance")
    OTHER = "other", _("other")


class QualificationKind(models.TextChoices):
    MEDICAL_INSTITUTION = (
        "medical_institution",
        _("medical institution practice licence (医疗机构执业许可证)"),
    )
    BUSINESS_LICENCE = "business_licence", _("medical device business licence (医疗器械经营许可证)")
    BUSINESS_FILING = "business_filing", _("class II business filing (第二类医疗器械经营备案凭证)")


# What each kind of customer must hold to buy (may_buy): hospitals and clinics a
# practice licence; dealers a business licence (class III, and II) or a filing (II).
INSTITUTION_KINDS = frozenset({"public_hospital", "private_hospital", "clinic"})


class ActivityKind(models.TextChoices):
    CALL = "call", _("phone call")
    VISIT = "visit", _("visit")
    MEETING = "meeting", _("meeting")
    TRADE_SHOW = "trade_show", _("trade-show contact")
    ACADEMIC = "academic", _("academic meeting")
    ONLINE = "online", _("online / WeChat")
    OTHER = "other", _("other")


class VisitMethod(models.TextChoices):
    ON_SITE = "on_site", _("on site")
    PHONE = "phone", _("by phone")
    VIDEO = "video", _("video call")


class FeedbackCategory(models.TextChoices):
    PRODUCT = "product", _("product")
    SERVICE = "service", _("service")
    PRICE = "price", _("price")
    DELIVERY = "delivery", _("delivery")
    COMPETITOR = "competitor", _("competitors")
    OTHER = "other", _("other")


class FeedbackStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACTED_ON = "acted_on", _("acted on")
    CLOSED = "closed", _("closed")


FEEDBACK_TRANSITIONS = {
    FeedbackStatus.OPEN: {FeedbackStatus.ACTED_ON, FeedbackStatus.CLOSED},
    FeedbackStatus.ACTED_ON: {FeedbackStatus.CLOSED},
    FeedbackStatus.CLOSED: set(),
}


class CampaignKind(models.TextChoices):
    TRADE_SHOW = "trade_show", _("trade show")
    ACADEMIC = "academic", _("academic meeting")
    ONLINE = "online", _("online promotion")
    PHONE = "phone", _("phone marketing")
    OTHER = "other", _("other")


# Revenue of the last twelve months that makes a customer A or B (else C); CNY.
GRADE_THRESHOLDS = (("A", 1_000_000), ("B", 200_000))
# Days before a qualification's expiry on which the owning rep is warned.
QUALIFICATION_WARNING_DAYS = (90, 30, 7)


# The customer list's sortable columns (core/sorting.py): URL key -> order_by fields.
CUSTOMER_SORTS = {
    "name": ("name",),
    "grade": ("grade", "name"),
    "region": ("region__code", "name"),
    "visit": ("next_visit_due", "name"),
}
