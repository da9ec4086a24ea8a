from django.apps import AppConfig


class RegulatedAppConfig(AppConfig):
    """A test-only app with one regulated model, installed only when tests run, so the
    regulated-record machinery is tested before the first business model uses it."""

    name = "tests.regulated_app"
    label = "regulated_app"
