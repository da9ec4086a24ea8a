from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("new/", views.contract_create, name="create"),
    path("review/", views.review_inbox, name="review"),
    path("export.xlsx", views.ledger_export, name="export"),
    path("sales-record.xlsx", views.sales_record_export, name="sales_record"),
    path("receivables/", views.receivables, name="receivables"),
    path("<int:contract_id>/", views.contract_detail, name="detail"),
    path("<int:contract_id>/amend/", views.amendment_form, name="amend"),
    path("<int:contract_id>/contract.pdf", views.contract_pdf, name="pdf"),
    path("<int:contract_id>/files/<str:kind>/", views.contract_file, name="file"),
    path("<int:contract_id>/files/<str:kind>/<int:pk>/", views.contract_file, name="file"),
    path("deliveries/<int:delivery_id>/note.pdf", views.delivery_pdf, name="delivery_pdf"),
    path(
        "<int:contract_id>/amendments/<int:amendment_id>/edit/",
        views.amendment_form,
        name="amendment_edit",
    ),
    path("amendments/<int:amendment_id>/", views.amendment_detail, name="amendment"),
]
