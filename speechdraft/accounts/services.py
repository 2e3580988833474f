from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

CURATOR_GROUP = "素材管理员"
# Apps whose models curators may change in the admin; apps not installed yet are skipped.
CURATED_APP_LABELS = ("corpus", "library", "review", "exports")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str


DEMO_DRAFTER = DemoAccount("drafter", "drafter-demo-2024", "起草人")
DEMO_CURATOR = DemoAccount("curator", "curator-demo-2024", "素材管理员")


def curator_group_sync() -> Group:
    group, _ = Group.objects.get_or_create(name=CURATOR_GROUP)
    perms = Permission.objects.filter(content_type__app_label__in=CURATED_APP_LABELS)
    group.permissions.set(perms)
    return group


@transaction.atomic
def demo_accounts_ensure() -> list[DemoAccount]:
    """Create (or reset) the demo drafter and curator. Safe to run any number of times."""
    user_model = get_user_model()
    group = curator_group_sync()
    for account, is_staff in ((DEMO_DRAFTER, False), (DEMO_CURATOR, True)):
        user, _ = user_model.objects.get_or_create(username=account.username)
        user.is_staff = is_staff
        user.is_active = True
        user.set_password(account.password)
        user.save()
        if is_staff:
            user.groups.add(group)
    return [DEMO_DRAFTER, DEMO_CURATOR]
