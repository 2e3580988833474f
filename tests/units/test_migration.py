"""Today's rows go into one default unit (units 0002, corpus 0011, library 0011, exports 0007,
drafts 0009): nullable first, filled, then required; accounts become its members."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("units", "0001_initial"),
    ("corpus", "0010_term"),
    ("library", "0010_delete_term"),
    ("drafts", "0008_proposal"),
    ("exports", "0006_exportjob_base_version"),
]


@pytest.mark.django_db(transaction=True)
def test_todays_rows_go_into_the_default_unit():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="old-drafter")
    document = old.get_model("corpus", "SourceDocument").objects.create(file_name="a.txt")
    skeleton = old.get_model("corpus", "Skeleton").objects.create(document=document, title="讲话")
    old.get_model("corpus", "Paragraph").objects.create(
        skeleton=skeleton, position=0, text="正文", role="other"
    )
    old.get_model("corpus", "Term").objects.create(word="四区共建")
    old.get_model("library", "Phrase").objects.create(kind="golden", text="撸起袖子加油干")
    old.get_model("library", "Formulation").objects.create(wrong="十八大以来", right="")
    old.get_model("drafts", "Draft").objects.create(owner=user, title="旧稿", numbering={})

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    from django.contrib.auth.models import User

    from speechdraft.corpus.models import Paragraph, Skeleton, SourceDocument, Term
    from speechdraft.drafts.models import Draft
    from speechdraft.library.models import Formulation, Phrase
    from speechdraft.units.models import Unit

    [unit] = Unit.objects.all()
    assert (unit.name, unit.is_default) == ("默认单位", True)
    for model in (SourceDocument, Skeleton, Paragraph, Term, Phrase, Formulation, Draft):
        assert set(model.objects.values_list("unit_id", flat=True)) == {unit.pk}, model
    assert User.objects.get(username="old-drafter").membership.unit == unit
    assert not Paragraph.objects.filter(shared=True).exists()  # material stays the unit's
    assert not Formulation.objects.filter(shared=False).exists()  # wording rules: for all
