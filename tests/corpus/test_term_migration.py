"""jieba's user dictionary moved from library to corpus (corpus 0010, library 0010): its rows
stay, and a curators' group keeps the permissions it had on it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("corpus", "0009_upload_batch"), ("library", "0009_formulation")]


@pytest.mark.django_db(transaction=True)
def test_the_dictionary_and_its_permissions_survive_the_move():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("library", "Term").objects.create(word="梧桐栖凤七彩链", origin="manual")
    group = old.get_model("auth", "Group").objects.create(name="素材管理员（旧）")
    group.permissions.set(
        old.get_model("auth", "Permission").objects.filter(
            content_type__app_label="library", codename__endswith="_term"
        )
    )

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    from django.contrib.auth.models import Group

    from speechdraft.corpus.models import Term

    assert list(Term.objects.values_list("word", flat=True)) == ["梧桐栖凤七彩链"]
    perms = Group.objects.get(name="素材管理员（旧）").permissions
    assert sorted(perms.values_list("content_type__app_label", "codename")) == [
        ("corpus", "add_term"),
        ("corpus", "change_term"),
        ("corpus", "delete_term"),
        ("corpus", "view_term"),
    ]
