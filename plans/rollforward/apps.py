from django.apps import AppConfig


class RollForwardConfig(AppConfig):
    name = "plans.rollforward"
    label = "rollforward"
    verbose_name = "Roll forward"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from plans.rollforward.models import DroppedAction

        auditlog.register(DroppedAction)
