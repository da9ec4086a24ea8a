from django.urls import path

from . import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("import/", views.import_xlsx, name="import"),
    path("visits/", views.visits_due, name="visits_due"),
    path("feedback/", views.feedback_list, name="feedback_list"),
    path("feedback/<int:feedback_id>/", views.feedback_detail, name="feedback_detail"),
    path("feedback/<int:feedback_id>/act/", views.feedback_act, name="feedback_act"),
    path("feedback/<int:feedback_id>/close/", views.feedback_close, name="feedback_close"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_edit, name="plan_create"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/campaigns/new/", views.campaign_create, name="campaign_create"),
    path(
        "plans/<int:plan_id>/campaigns/<int:campaign_id>/leads/new/",
        views.lead_create,
        name="lead_create",
    ),
    path("<int:customer_id>/", views.customer_detail, name="detail"),
    path("<int:customer_id>/site/", views.customer_site, name="site"),
    path(
        "<int:customer_id>/qualifications/<int:qualification_id>/file/",
        views.qualification_file,
        name="qualification_file",
    ),
    path("<int:customer_id>/edit/", views.customer_edit, name="edit"),
    path("<int:customer_id>/reassign/", views.customer_reassign, name="reassign"),
    path("<int:customer_id>/contacts/new/", views.contact_edit, name="contact_create"),
    path("<int:customer_id>/contacts/<int:contact_id>/", views.contact_edit, name="contact_edit"),
    path(
        "<int:customer_id>/qualifications/new/",
        views.qualification_edit,
        name="qualification_create",
    ),
    path(
        "<int:customer_id>/qualifications/<int:qualification_id>/",
        views.qualification_edit,
        name="qualification_edit",
    ),
    path(
        "<int:customer_id>/qualifications/<int:qualification_id>/void/",
        views.qualification_void,
        name="qualification_void",
    ),
    path("<int:customer_id>/activities/new/", views.activity_create, name="activity_create"),
    path("<int:customer_id>/visits/new/", views.visit_create, name="visit_create"),
    path("<int:customer_id>/feedback/new/", views.feedback_create, name="feedback_create"),
]
