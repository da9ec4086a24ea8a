from django.urls import path

from . import views, views_purchasing

app_name = "inventory"

urlpatterns = [
    path("", views.parts, name="parts"),
    path("parts/<int:part_id>/", views.part_detail, name="part"),
    path("requisitions/", views.requisitions, name="requisitions"),
    path("requisitions/new/", views.requisition_create, name="requisition_create"),
    path("requisitions/<int:requisition_id>/", views.requisition_detail, name="requisition"),
    path("suppliers/", views_purchasing.suppliers, name="suppliers"),
    path("suppliers/new/", views_purchasing.supplier_create, name="supplier_create"),
    path("suppliers/<int:supplier_id>/", views_purchasing.supplier_detail, name="supplier"),
    path("orders/", views_purchasing.orders, name="orders"),
    path("orders/new/", views_purchasing.order_create, name="order_create"),
    path("orders/<int:order_id>/", views_purchasing.order_detail, name="order"),
    path("counts/", views_purchasing.counts, name="counts"),
    path("replenishment/", views_purchasing.replenishment, name="replenishment"),
    path("counts/<int:count_id>/", views_purchasing.count_detail, name="count"),
]
