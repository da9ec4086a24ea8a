from django.urls import path

from . import views

app_name = "devices"
urlpatterns = [
    path("", views.device_list, name="list"),
    path("register/", views.device_register, name="register"),
    path("import/", views.device_import, name="import"),
    path("pm-plans/", views.pm_plans, name="pm_plans"),
    path("<int:device_id>/", views.device_detail, name="detail"),
    path("<int:device_id>/transfer/", views.device_transfer, name="transfer"),
    path("<int:device_id>/decommission/", views.device_decommission, name="decommission"),
    path("<int:device_id>/installation/", views.device_installation, name="installation"),
]
