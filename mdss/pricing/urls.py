from django.urls import path

from . import views

app_name = "pricing"
urlpatterns = [
    path("", views.price_list, name="price_list"),
    path("models/<int:model_id>/", views.price_basis, name="price_basis"),
    path("changes/", views.change_list, name="change_list"),
    path("changes/new/", views.change_create, name="change_create"),
    path("changes/<int:change_id>/", views.change_detail, name="change_detail"),
    path("changes/<int:change_id>/<str:action>/", views.change_action, name="change_action"),
    path("adjustments/", views.adjustment_list, name="adjustment_list"),
    path("adjustments/new/", views.adjustment_create, name="adjustment_create"),
    path("adjustments/<int:adjustment_id>/", views.adjustment_detail, name="adjustment_detail"),
    path(
        "adjustments/<int:adjustment_id>/<str:action>/",
        views.adjustment_action,
        name="adjustment_action",
    ),
]
