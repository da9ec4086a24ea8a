from django.urls import path

from . import views

app_name = "pricing"
urlpatterns = [
    path("", views.price_list, name="price_list"),
    path("changes/", views.change_list, name="change_list"),
    path("changes/new/", views.change_create, name="change_create"),
    path("changes/<int:change_id>/", views.change_detail, name="change_detail"),
    path("changes/<int:change_id>/<str:action>/", views.change_action, name="change_action"),
]
