from django.urls import path

from . import views

app_name = "risk"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.create, name="create"),
    path("reviews/", views.reviews, name="reviews"),
    path("signals/", views.signals, name="signals"),
    path("signals/<int:signal_id>/<str:decision>/", views.signal_decide, name="signal-decide"),
    path("matrix/", views.matrix, name="matrix"),
    path("report/", views.report, name="report"),
    path("<int:risk_id>/", views.detail, name="detail"),
    path("<int:risk_id>/measures/<int:measure_id>/done/", views.measure_done, name="measure-done"),
    path("<int:risk_id>/<str:action>/", views.action, name="action"),
]
