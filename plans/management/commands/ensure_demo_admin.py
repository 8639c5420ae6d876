from __future__ import annotations

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
        user.set_password(DEMO_PASSWORD)
        user.save()
        self.stdout.write(
            self.style.WARNING(
                "DEMO ONLY – never use this account on a real server.\n"
                f"  Sign in at http://127.0.0.1:8000/ as  {DEMO_USERNAME}  /  {DEMO_PASSWORD}"
            )
        )
