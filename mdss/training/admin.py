"""Back-office views of training records, read-only: changes go through the pages and
the API, whose services check who may keep whose records and audit them."""

from django.contrib import admin

from mdss.audit.admin import ReadOnlyAdmin

from .models import Assessment, Authorisation, Certificate, ExternalTraining, TrainingSession


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdmin):
    list_display = ("held_on", "title", "team", "kind", "status")
    list_filter = ("team", "kind", "status")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("user", "kind", "period_start", "status", "score")
    list_filter = ("team", "kind", "status")
    list_select_related = ("user",)


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "number", "valid_until", "voided_at")
    list_select_related = ("user",)


@admin.register(Authorisation)
class AuthorisationAdmin(ReadOnlyAdmin):
    list_display = ("rep", "number", "valid_from", "valid_until", "voided_at")
    list_select_related = ("rep",)


@admin.register(ExternalTraining)
class ExternalTrainingAdmin(ReadOnlyAdmin):
    list_display = ("requester", "course", "starts_on", "cost", "status")
    list_select_related = ("requester",)
