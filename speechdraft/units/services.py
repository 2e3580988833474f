from django.db import transaction

from speechdraft.units.models import Membership, Unit, default_unit_id


def membership_for_new_user(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """A new account belongs to the default unit until it is put into another."""
    if created and not raw:
        Membership.objects.get_or_create(user=instance, defaults={"unit_id": default_unit_id()})


@transaction.atomic
def membership_set(*, user, unit: Unit, is_signer: bool = False) -> Membership:
    """The user's unit (and whether they are its 签发人)."""
    membership, _ = Membership.objects.update_or_create(
        user=user, defaults={"unit": unit, "is_signer": is_signer}
    )
    user.__dict__.pop("_unit_id", None)
    user._state.fields_cache.pop("membership", None)  # the row made with the account
    return membership


def unit_ensure(*, name: str, parent: Unit | None = None) -> Unit:
    unit, _ = Unit.objects.get_or_create(name=name, defaults={"parent": parent})
    return unit
