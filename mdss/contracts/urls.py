from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("new/", views.contract_create, name="create"),
    # The product picker's matches (an htmx fragment) for the create and line forms.
    path("products/", views.product_search, name="product_search"),
    path("review/", views.review_inbox, name="review"),
    path("export.xlsx", views.ledger_export, name="export"),
    path("sales-record.xlsx", views.sales_record_export, name="sales_record"),
    path("receivables/", views.receivables, name="receivables"),
    path("deliveries/", views.deliveries_to_prepare, name="deliveries_to_prepare"),
    path("receivables.xlsx", views.receivables_export, name="receivables_export"),
    path("<int:contract_id>/", views.contract_detail, name="detail"),
    path("<int:contract_id>/amend/", views.amendment_form, name="amend"),
    path("<int:contract_id>/plan/", views.payment_plan, name="plan"),
    path("<int:contract_id>/terms/", views.contract_terms, name="terms"),
    # One POST endpoint per action (contracts/actions.py lists who may take which).
    path("<int:contract_id>/lines/", views.line_add, name="line_add"),
    path("<int:contract_id>/lines/<int:line_id>/remove/", views.line_remove, name="line_remove"),
    path("<int:contract_id>/attachments/", views.attachment_add, name="attach"),
    path(
        "<int:contract_id>/attachments/<int:attachment_id>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("<int:contract_id>/submit/", views.contract_submit, name="submit"),
    path("<int:contract_id>/return/", views.contract_return, name="return"),
    path("<int:contract_id>/approve/", views.contract_approve, name="approve"),
    path("<int:contract_id>/sign/", views.contract_sign, name="sign"),
    path("<int:contract_id>/cancel/", views.contract_cancel, name="cancel"),
    path("<int:contract_id>/terminate/", views.contract_terminate, name="terminate"),
    path("<int:contract_id>/deliveries/", views.delivery_record, name="deliver"),
    path("<int:contract_id>/payments/", views.payment_record, name="pay"),
    path("<int:contract_id>/problems/", views.problem_raise, name="raise_problem"),
    path(
        "deliveries/<int:delivery_id>/receipt/",
        views.delivery_confirm_receipt,
        name="confirm_receipt",
    ),
    path("problems/<int:problem_id>/note/", views.problem_note, name="problem_note"),
    path("problems/<int:problem_id>/resolve/", views.problem_resolve, name="problem_resolve"),
    path("problems/<int:problem_id>/escalate/", views.problem_escalate, name="problem_escalate"),
    path("problems/<int:problem_id>/decide/", views.problem_decide, name="problem_decide"),
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
    path(
        "amendments/<int:amendment_id>/submit/",
        views.amendment_submit,
        name="amendment_submit",
    ),
    path(
        "amendments/<int:amendment_id>/approve/",
        views.amendment_approve,
        name="amendment_approve",
    ),
    path(
        "amendments/<int:amendment_id>/return/",
        views.amendment_return,
        name="amendment_return",
    ),
    path("amendments/<int:amendment_id>/sign/", views.amendment_sign, name="amendment_sign"),
    path(
        "amendments/<int:amendment_id>/withdraw/",
        views.amendment_withdraw,
        name="amendment_withdraw",
    ),
]
