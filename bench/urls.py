from django.urls import include, path

from bench.baseline import views

urlpatterns = [
    path("bench/insert", views.insert_one),
    path("bench/insert-audited", views.insert_audited),
    path("bench/read/<int:pk>", views.read_one),
    path("", include("mdss.urls")),
]
