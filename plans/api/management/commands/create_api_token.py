from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from plans.api.tokens import api_token_create


class Command(BaseCommand):
    help = "Make a personal API token for USERNAME and print it (it is shown only this once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="Made on the command line")
        parser.add_argument(
            "--days", type=int, default=365, help="Days until it expires (0: never)."
        )

    def handle(self, *args, username: str, name: str, days: int, **options) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        if days < 0:
            raise CommandError("--days must be 0 (never expires) or more.")
        token, key = api_token_create(user=user, name=name, days=days or None)
        self.stderr.write(f"Token “{token.name}” for {username}, starting {token.prefix}:")
        self.stdout.write(key)
