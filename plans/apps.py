from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"

    def ready(self) -> None:
        from plans import signals  # noqa: F401  (connects the receivers)
        from plans.audit import register_audited_models

        register_audited_models()
        from plans.report_cache import connect_receivers

        connect_receivers()
        from plans import table_speed

        table_speed.install()
