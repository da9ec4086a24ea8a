from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.model_list, name="model_list"),
    path("models/<int:model_id>/", views.model_detail, name="model_detail"),
    path("documents/<int:document_id>/file/", views.document_file, name="document_file"),
    path("models/<int:model_id>/documents/new/", views.document_upload, name="document_upload"),
    path("expiring/", views.expiring, name="expiring"),
    path("scan/", views.scan, name="scan"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("import/", views.import_xlsx, name="import"),
    path("products/new/", views.product_edit, name="product_create"),
    path("products/<int:product_id>/edit/", views.product_edit, name="product_edit"),
    path(
        "products/<int:product_id>/certificates/new/",
        views.certificate_edit,
        name="certificate_create",
    ),
    path(
        "products/<int:product_id>/certificates/<int:certificate_id>/",
        views.certificate_edit,
        name="certificate_edit",
    ),
]
