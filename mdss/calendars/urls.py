from django.urls import path

from . import views

app_name = "calendars"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("policy/", views.policy, name="policy"),
    path("clocks/", views.clocks, name="clocks"),
]
