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
]
