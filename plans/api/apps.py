from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only JSON API (/api/v1/) and the personal tokens that open it."""

    name = "plans.api"
    label = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"
