from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "csp_tracker.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from csp_tracker.accounts import audit, signals  # noqa: F401  (connects the receivers)

        audit.register_user_model()
