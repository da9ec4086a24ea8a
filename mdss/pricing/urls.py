from django.urls import path

from . import views

app_name = "pricing"
urlpatterns = [
    path("", views.price_list, name="price_list"),
    path("models/<int:model_id>/", views.price_basis, name="price_basis"),
    path("changes/", views.change_list, name="change_list"),
    path("changes/new/", views.change_create, name="change_create"),
    path("changes/<int:change_id>/", views.change_detail, name="change_detail"),
    path("changes/<int:change_id>/submit/", views.change_submit, name="change_submit"),
    path("changes/<int:change_id>/approve/", views.change_approve, name="change_approve"),
    path("changes/<int:change_id>/reject/", views.change_reject, name="change_reject"),
    path("adjustments/", views.adjustment_list, name="adjustment_list"),
    path("adjustments/new/", views.adjustment_create, name="adjustment_create"),
    path("adjustments/<int:adjustment_id>/", views.adjustment_detail, name="adjustment_detail"),
    path(
        "adjustments/<int:adjustment_id>/submit/",
        views.adjustment_submit,
        name="adjustment_submit",
    ),
    path(
        "adjustments/<int:adjustment_id>/approve/",
        views.adjustment_approve,
        name="adjustment_approve",
    ),
    path(
        "adjustments/<int:adjustment_id>/reject/",
        views.adjustment_reject,
        name="adjustment_reject",
    ),
]
