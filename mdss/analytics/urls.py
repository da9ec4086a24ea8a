from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("", views.sales, name="sales"),
    path("overview/", views.overview, name="overview"),
    path("bridge/", views.bridge, name="bridge"),
    path("bridge/decide/", views.decide, name="decide"),
    path("service/", views.service, name="service"),
    path("resources/", views.resources, name="resources"),
    path("report.pdf", views.report, name="report"),
]
