from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from speechdraft.units.models import DEFAULT_UNIT_NAME, Unit, default_unit_id
from speechdraft.units.services import membership_set, unit_ensure

CURATOR_GROUP = "素材管理员"
# Apps whose models curators may change in the admin; apps not installed yet are skipped.
CURATED_APP_LABELS = ("corpus", "library", "review", "exports")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    unit: str = DEFAULT_UNIT_NAME  # the default unit holds the sample corpus (make setup)
    is_staff: bool = False
    name: tuple[str, str] = ("", "")  # 姓, 名
    is_signer: bool = False  # the unit's 签发人 (drafts.flow: 定稿)


# Two units that must not see each other's material, each with a drafter and a curator.
DEMO_OTHER_UNIT = "县发展和改革局"
DEMO_DRAFTER = DemoAccount("drafter", "drafter-demo-2024", "起草人", name=("李", "文"))
DEMO_CURATOR = DemoAccount(
    "curator", "curator-demo-2024", "素材管理员", is_staff=True, name=("刘", "洋")
)
# The default unit's 科长 (审核 a draft sent to him) and 办公室主任 (签发人: 定稿).
DEMO_REVIEWER = DemoAccount("reviewer", "reviewer-demo-2024", "审核人（科长）", name=("张", "华"))
DEMO_SIGNER = DemoAccount(
    "signer", "signer-demo-2024", "签发人（办公室主任）", name=("陈", "静"), is_signer=True
)
DEMO_DRAFTER_OTHER = DemoAccount(
    "drafter2", "drafter2-demo-2024", "起草人", DEMO_OTHER_UNIT, name=("赵", "磊")
)
DEMO_CURATOR_OTHER = DemoAccount(
    "curator2",
    "curator2-demo-2024",
    "素材管理员",
    DEMO_OTHER_UNIT,
    is_staff=True,
    name=("孙", "丽"),
)
DEMO_ACCOUNTS = [
    DEMO_DRAFTER,
    DEMO_CURATOR,
    DEMO_REVIEWER,
    DEMO_SIGNER,
    DEMO_DRAFTER_OTHER,
    DEMO_CURATOR_OTHER,
]


def curator_group_sync() -> Group:
    group, _ = Group.objects.get_or_create(name=CURATOR_GROUP)
    perms = Permission.objects.filter(content_type__app_label__in=CURATED_APP_LABELS)
    group.permissions.set(perms)
    return group


@transaction.atomic
def demo_accounts_ensure() -> list[DemoAccount]:
    """Create (or reset) the demo drafters and curators of two units. Safe to run any number
    of times."""
    user_model = get_user_model()
    group = curator_group_sync()
    units = {
        DEFAULT_UNIT_NAME: Unit.objects.get(pk=default_unit_id()),
        DEMO_OTHER_UNIT: unit_ensure(name=DEMO_OTHER_UNIT),
    }
    for account in DEMO_ACCOUNTS:
        user, _ = user_model.objects.get_or_create(username=account.username)
        user.is_staff = account.is_staff
        user.is_active = True
        user.last_name, user.first_name = account.name
        user.set_password(account.password)
        user.save()
        membership_set(user=user, unit=units[account.unit], is_signer=account.is_signer)
        if account.is_staff:
            user.groups.add(group)
    return list(DEMO_ACCOUNTS)
