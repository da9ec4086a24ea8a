from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.home, name="home"),
    path("trace/", views.trace, name="trace"),
    path("recalls/", views.recall_list, name="recall-list"),
    path("recalls/<int:recall_id>/", views.recall_detail, name="recall-detail"),
]
