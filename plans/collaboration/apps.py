from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "plans.collaboration"
    label = "collaboration"
    verbose_name = "Questions and evidence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from plans.collaboration.admin import register_audited

        register_audited()
