"""The three roles as Django groups, with the model permissions each role needs."""

from __future__ import annotations

ROLE_GROUPS = {
    "officer": "Partnership officers",
    "seg": "SEG members",
    "admin": "Partnership admins",
}

_READ = [
    ("plans", "view_plan"),
    ("priorities", "view_action"),
    ("indicators", "view_indicator"),
    ("priorities", "view_actionupdate"),
    ("indicators", "view_indicatorvalue"),
]
_REPORT = [
    ("priorities", "add_actionupdate"),
    ("priorities", "change_actionupdate"),
    ("indicators", "add_indicatorvalue"),
    ("indicators", "change_indicatorvalue"),
]
_ADMIN = [
    ("plans", "add_reportingperiod"),
    ("plans", "change_reportingperiod"),
    ("plans", "add_membership"),
    ("plans", "change_membership"),
    ("plans", "delete_membership"),
    ("priorities", "change_action"),
    ("indicators", "change_indicator"),
]
ROLE_PERMISSIONS = {
    "seg": _READ,
    "officer": _READ + _REPORT,
    "admin": _READ + _REPORT + _ADMIN,
}


def sync_role_groups(apps=None) -> None:
    """Create the role groups and give them their permissions (idempotent)."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    apps = apps or global_apps
    for config in apps.get_app_configs():
        # create_permissions skips apps without a models module, which a migration's
        # historical apps never have; put back what was there (the global registry's own
        # modules: dumpdata skips apps whose models_module is None).
        models_module = getattr(config, "models_module", None)
        config.models_module = models_module or True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = models_module
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, name in ROLE_GROUPS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = [
            permission_model.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in ROLE_PERMISSIONS[role]
        ]
        group.permissions.set(permissions)


def sync_user_groups(user) -> None:
    """Put a user in exactly the role groups their memberships give them."""
    from django.contrib.auth.models import Group

    roles = set(user.memberships.values_list("role", flat=True))
    wanted = Group.objects.filter(name__in=[ROLE_GROUPS[r] for r in roles])
    user.groups.remove(*user.groups.filter(name__in=ROLE_GROUPS.values()).exclude(pk__in=wanted))
    user.groups.add(*wanted)
