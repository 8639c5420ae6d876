from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts import audit, signals  # noqa: F401  (connects the receivers)

        audit.register_user_model()
