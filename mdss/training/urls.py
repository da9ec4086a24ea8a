from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("me/", views.my_record, name="me"),
    path("people/", views.people, name="people"),
    path("people/<int:person_id>/", views.person_record, name="person"),
    path("people/<int:person_id>/profile/", views.profile_edit, name="profile_edit"),
    path("people/<int:person_id>/skills/new/", views.skill_add, name="skill_add"),
    path(
        "people/<int:person_id>/certificates/new/",
        views.certificate_edit,
        name="certificate_create",
    ),
    path(
        "people/<int:person_id>/certificates/<int:certificate_id>/",
        views.certificate_edit,
        name="certificate_edit",
    ),
    path(
        "people/<int:person_id>/authorisations/new/",
        views.authorisation_edit,
        name="authorisation_create",
    ),
    path(
        "people/<int:person_id>/authorisations/<int:authorisation_id>/",
        views.authorisation_edit,
        name="authorisation_edit",
    ),
    path("compliance/", views.compliance_grid, name="compliance"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/new/", views.session_edit, name="session_create"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/hold/", views.session_hold, name="session_hold"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:session_id>/materials/", views.session_materials, name="materials"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("assessments/", views.assessment_list, name="assessments"),
    path("assessments/new/", views.assessment_schedule, name="assessment_schedule"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/record/", views.assessment_record, name="assessment_record"),
    path("retraining/<int:retraining_id>/", views.retraining_complete, name="retraining"),
    path("external/", views.external_list, name="external"),
    path("external/new/", views.external_new, name="external_new"),
    path("external/<int:external_id>/", views.external_detail, name="external_detail"),
    path("external/<int:pk>/approve/", views.external_approve, name="external_approve"),
    path("external/<int:pk>/reject/", views.external_reject, name="external_reject"),
    path("external/<int:pk>/attended/", views.external_attended, name="external_attended"),
    path("external/<int:pk>/reimburse/", views.external_reimburse, name="external_reimburse"),
    path("external/<int:external_id>/proof/", views.external_proof, name="external_proof"),
]
