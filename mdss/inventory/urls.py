from django.urls import path

from . import views

app_name = "inventory"

urlpatterns = [
    path("", views.parts, name="parts"),
    path("parts/<int:part_id>/", views.part_detail, name="part"),
    path("requisitions/", views.requisitions, name="requisitions"),
    path("requisitions/new/", views.requisition_create, name="requisition_create"),
    path("requisitions/<int:requisition_id>/", views.requisition_detail, name="requisition"),
]
