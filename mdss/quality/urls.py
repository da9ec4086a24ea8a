from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.my_work, name="my-work"),
    path("trace/", views.trace, name="trace"),
    path("feedback/", views.feedback_list, name="feedback-list"),
    path("feedback/<int:feedback_id>/", views.feedback_detail, name="feedback-detail"),
    path("incidents/", views.incident_list, name="incident-list"),
    path("incidents/<int:incident_id>/", views.incident_detail, name="incident-detail"),
    path(
        "incidents/<int:incident_id>/capa/<int:capa_id>/done/",
        views.capa_done,
        name="capa-done",
    ),
    path("adverse-events/", views.ae_list, name="ae-list"),
    path("adverse-events/<int:event_id>/", views.ae_detail, name="ae-detail"),
    path("recalls/", views.recall_list, name="recall-list"),
    path("recalls/<int:recall_id>/", views.recall_detail, name="recall-detail"),
    path(
        "recalls/<int:recall_id>/notices/<int:notice_id>/acknowledge/",
        views.recall_acknowledge,
        name="recall-acknowledge",
    ),
    path("evaluations/", views.evaluation_list, name="evaluation-list"),
    path("evaluations/export/", views.evaluation_export, name="evaluation-export"),
    path("evaluations/<int:evaluation_id>/", views.evaluation_detail, name="evaluation-detail"),
    path("evaluations/<int:evaluation_id>/pdf/", views.evaluation_pdf, name="evaluation-pdf"),
    path("audits/", views.audit_list, name="audit-list"),
    path("audits/<int:audit_id>/", views.audit_detail, name="audit-detail"),
    path(
        "audits/<int:audit_id>/items/<int:item_id>/check/",
        views.audit_check,
        name="audit-check",
    ),
    path(
        "audits/<int:audit_id>/items/<int:item_id>/finding/",
        views.finding_add,
        name="finding-add",
    ),
    path("findings/<int:finding_id>/done/", views.finding_done, name="finding-done"),
]

# Creating each record and its transitions (views.CREATES, views.STEPS): the kind is
# fixed per route, so each has its own name and rule in the permission matrix.
for kind, name in views.KIND_NAMES.items():
    if kind in views.CREATES:
        urlpatterns.append(
            path(f"{kind}/new/", views.create, {"kind": kind}, name=f"{name}-create")
        )
    urlpatterns.append(
        path(f"{kind}/<int:pk>/<str:action>/", views.action, {"kind": kind}, name=f"{name}-action")
    )
