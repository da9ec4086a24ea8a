from django.urls import path

from . import views

app_name = "service"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_create, name="create"),
    path("mine/", views.my_jobs, name="mine"),
    path("board/", views.board, name="board"),
    path("improvements/", views.improvements, name="improvements"),
    path("<int:request_id>/", views.request_detail, name="detail"),
    path("<int:request_id>/report.pdf", views.report_pdf, name="report"),
    path("<int:request_id>/<str:action>/", views.request_action, name="action"),
]
