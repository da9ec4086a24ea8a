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
