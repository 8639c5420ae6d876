"""Demo accounts for each role, so a fresh ``make run`` has something to sign in with.
DEMO ONLY. The sample quarterly data they see is made by ``plans.demo_data``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from plans.models import Agency, Membership, Partnership

DEMO_PASSWORD = "demo-password-123"

MEDWAY = "Medway Community Safety Partnership"
SWALE = "Swale Community Safety Partnership"
Role = Membership.Role


@dataclass(frozen=True)
class DemoAccount:
    username: str
    partnership: str
    role: str
    agencies: tuple[str, ...] = ()
    signs_off_for: tuple[str, ...] = ()

    @property
    def full_name(self) -> str:
        """A made-up name that says what the account is for, e.g. "Demo Swale admin"."""
        words = self.username.replace("-", " ")
        return f"Demo {words[:1].upper()}{words[1:]}".replace("csu", "CSU").replace("seg", "SEG")

    @property
    def email(self) -> str:
        # .invalid can never be delivered (RFC 2606), so reminders to demo users go nowhere.
        return f"{self.username}@example.invalid"


DEMO_ACCOUNTS = (
    DemoAccount("kent-police-officer", MEDWAY, Role.OFFICER, ("Kent Police",)),
    DemoAccount("medway-seg", MEDWAY, Role.SEG),
    DemoAccount("medway-admin", MEDWAY, Role.ADMIN),
    DemoAccount("swale-csu-officer", SWALE, Role.OFFICER, ("Swale Community Safety Unit",)),
    DemoAccount("swale-police-officer", SWALE, Role.OFFICER, ("Kent Police",)),
    # Reports on nothing: signs off the CSU officer's updates (Swale asks for sign-off).
    DemoAccount(
        "swale-csu-manager", SWALE, Role.OFFICER, signs_off_for=("Swale Community Safety Unit",)
    ),
    DemoAccount("swale-seg", SWALE, Role.SEG),
    DemoAccount("swale-admin", SWALE, Role.ADMIN),
)


@transaction.atomic
def demo_accounts_ensure(*, password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    """Create (or reset) every demo account: password, e-mail, one membership, its agencies."""
    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, _ = user_model.objects.get_or_create(username=account.username)
        user.email = account.email
        user.first_name = account.full_name
        user.is_active = True
        user.set_password(password)
        user.save()
        partnership = Partnership.objects.get(name=account.partnership)
        membership, _ = Membership.objects.update_or_create(
            user=user, partnership=partnership, defaults={"role": account.role}
        )
        membership.agencies.set(Agency.objects.filter(name__in=account.agencies))
        membership.signs_off_for.set(Agency.objects.filter(name__in=account.signs_off_for))
        for other in Membership.objects.filter(user=user).exclude(pk=membership.pk):
            other.delete()  # one by one, so the role groups follow (post_delete signal)
    return list(DEMO_ACCOUNTS)
