from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_USERNAME = "demo-admin"
DEMO_PASSWORD = "demo-admin-password"


class Command(BaseCommand):
    help = "Create (or reset) the demo administrator account. For local demos only."

    def handle(self, *args, **options) -> None:
        user, created = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
        user.is_staff = True
        user.is_superuser = True
        user.first_name = "Demo administrator"
        user.email = "demo-admin@example.invalid"
        user.set_password(DEMO_PASSWORD)
        user.save()
        self.stdout.write(
            self.style.WARNING(
                "DEMO ONLY – never use this account on a real server.\n"
                f"  Sign in at http://127.0.0.1:8000/ as  {DEMO_USERNAME}  /  {DEMO_PASSWORD}"
            )
        )
        if settings.DEMO_ACCOUNTS_SKIP_TWO_FACTOR:
            self.stdout.write(
                self.style.WARNING(
                    "  Two-factor sign-in is skipped for the demo accounts "
                    "(DEMO_ACCOUNTS_SKIP_TWO_FACTOR, honoured only with DEBUG on)."
                )
            )
        else:
            self.stdout.write(
                "  Superusers and partnership admins set up two-factor sign-in (an "
                "authenticator app) when they first sign in."
            )
