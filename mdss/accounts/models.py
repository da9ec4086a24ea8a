"""People and organisation: users, departments, regions, API tokens."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mdss.core.models import TimeStampedModel

from .choices import RegionLevel


class Region(models.Model):
    """A province-level division or a city of China (GB/T 2260 codes).

    Sales territories and service areas are sets of regions; a user's regions decide
    which customers and service requests they see in later apps.
    """

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        # The region pickers list a province's cities: WHERE parent_id = ? ORDER BY code.
        indexes = [models.Index(fields=["parent", "code"], name="accounts_region_parent_idx")]

    def __str__(self):
        return self.label(self.name, self.level, self.parent.name if self.parent_id else None)

    @staticmethod
    def label(name: str, level: str, parent_name: str | None) -> str:
        """A city with its province's name before it; any other region by its name
        (``str(region)`` from the columns alone, for API list rows)."""
        if parent_name is not None and level == RegionLevel.CITY:
            return f"{parent_name} {name}"
        return name


class Department(TimeStampedModel):
    """A unit of the company (销售部, 售后服务部, 法务部, …), possibly nested."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head = models.ForeignKey(
        "accounts.User",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who logs in: staff of the distributor or a customer's contact.

    Roles are Django groups (see roles.py). ``superior`` is the person who approves
    this user's requests (price adjustments, external training) and to whom missed
    deadlines escalate.
    """

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    employee_no = models.CharField(_("employee number"), max_length=30, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=30, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions"), blank=True, related_name="users"
    )
    superior = models.ForeignKey(
        "self",
        verbose_name=_("superior"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subordinates",
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        blank=True,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
    )
    # Wrong passwords typed to sign or to change the password (accounts.security).
    password_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    # Incremented whenever the user's roles or permissions change (access.py): the key
    # of the cached roles and permissions, so every process sees a change at once.
    access_version = models.PositiveIntegerField(default=0, editable=False)
    password_locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(superior=models.F("id")),
                name="accounts_user_not_own_superior",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_of(self.full_name, self.first_name, self.last_name, self.username)

    @staticmethod
    def name_of(full_name: str, first_name: str, last_name: str, username: str) -> str:
        """``display_name`` from the columns alone (API list rows read no instance)."""
        return full_name or f"{first_name} {last_name}".strip() or username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        """Codes of the user's roles: cached per user and access version (access.py)."""
        from .access import access_for

        return access_for(self).role_codes

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))

    def set_password(self, raw_password):
        # Marked so that, once saved, the user's API tokens are revoked and the change
        # audited (accounts.apps: post_save), whichever path set it (profile, admin,
        # changepassword).
        had_one = self.pk is not None and bool(self.password) and self.has_usable_password()
        super().set_password(raw_password)
        self._password_changed = had_one


class ApiToken(models.Model):
    """A bearer token for the HTTP API. Only a SHA-256 hash is stored.

    The token is shown once, when created; ``prefix`` (its first characters) lets a
    person recognise it in the list. Revoking sets ``revoked_at``; the row stays so
    the audit trail can still name the token that did something.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
