from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.complaint_create, name="create"),
    path("<int:complaint_id>/", views.complaint_detail, name="detail"),
    path("<int:complaint_id>/documents/", views.document_upload, name="document_upload"),
    path(
        "<int:complaint_id>/documents/<int:document_id>/",
        views.document_file,
        name="document",
    ),
    path("<int:complaint_id>/tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path("<int:complaint_id>/<str:action>/", views.complaint_action, name="action"),
]
