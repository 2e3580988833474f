"""The commands that know about units: ingest --unit and create_demo_users."""

import io

import pytest
from django.core.management import CommandError, call_command

from speechdraft.corpus.models import SourceDocument
from speechdraft.units.models import Membership, Unit
from tests.units.test_isolation import SPEECH

pytestmark = pytest.mark.django_db


def test_ingest_names_an_existing_unit_or_refuses():
    with pytest.raises(CommandError, match="找不到单位：不存在的单位"):
        call_command("ingest", str(SPEECH), unit="不存在的单位", stdout=io.StringIO())
    assert not SourceDocument.objects.exists()
    call_command("ingest", str(SPEECH), stdout=io.StringIO())
    assert SourceDocument.objects.get().unit == Unit.objects.get(is_default=True)


def test_demo_users_are_a_drafter_and_a_curator_in_each_of_two_units():
    out = io.StringIO()
    call_command("create_demo_users", stdout=out)
    call_command("create_demo_users", stdout=out)  # again: nothing doubles
    rows = Membership.objects.filter(
        user__username__in=["drafter", "curator", "drafter2", "curator2"]
    ).values_list("unit__name", "user__username", "user__is_staff")
    assert sorted(rows) == [
        ("县发展和改革局", "curator2", True),
        ("县发展和改革局", "drafter2", False),
        ("默认单位", "curator", True),
        ("默认单位", "drafter", False),
    ]
    assert "县发展和改革局 起草人：用户名 drafter2" in out.getvalue()
