"""同义提法: the seed, expansion from the curated table, its per-process cache, the admin."""

import pytest

from speechdraft.library import synonyms
from speechdraft.library.models import Synonym, SynonymGroup
from speechdraft.library.services import SYNONYMS_FILE, synonyms_seed
from speechdraft.text.search import parse_query
from speechdraft.text.synonyms import pair_count, parse_tsv

pytestmark = pytest.mark.django_db
GROUPS = "/admin/library/synonymgroup/"


@pytest.fixture
def seeded():
    # The data migration seeded the test database; a transactional test may have flushed it.
    synonyms_seed()


def group_of(*texts, active=True, note=""):
    group = SynonymGroup.objects.create(active=active, note=note)
    Synonym.objects.bulk_create(Synonym(group=group, text=t) for t in texts)
    synonyms.synonyms_changed()  # bulk_create sends no signals
    return group


def inline(group, texts, extra=3):
    """The members inline of a change form: existing rows kept as they are, `texts` added."""
    members = list(group.members.all()) if group else []
    data = {
        "members-TOTAL_FORMS": str(len(members) + extra),
        "members-INITIAL_FORMS": str(len(members)),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for i, m in enumerate(members):
        data.update({f"members-{i}-id": m.pk, f"members-{i}-group": group.pk})
        data[f"members-{i}-text"] = m.text
    for j, text in enumerate(texts, start=len(members)):
        data[f"members-{j}-text"] = text
    return data


def test_seed_has_200_pairs_and_loads_idempotently(seeded):
    groups = parse_tsv(SYNONYMS_FILE.read_text(encoding="utf-8"))
    assert pair_count(g.members for g in groups) >= 200
    count = SynonymGroup.objects.count()
    assert count >= len(groups)
    assert synonyms_seed() == 0
    assert SynonymGroup.objects.count() == count
    assert Synonym.objects.filter(text="落实主体责任").count() == 1


def test_seed_leaves_a_curators_edit_alone(seeded):
    member = Synonym.objects.get(text="抓落实")
    member.group.members.exclude(pk=member.pk).filter(text="狠抓落实").delete()
    synonyms_seed()
    assert not Synonym.objects.filter(text="狠抓落实").exists()


def test_expand_gives_the_issue_examples(seeded):
    assert "落实主体责任" in synonyms.expand(["压实责任"])["压实责任"]
    assert "落实主体责任" in synonyms.expand(parse_query("压实责任").terms)["压实责任"]
    assert "真抓实干" in synonyms.expand(["抓落实"])["抓落实"]
    assert "发展环境" in synonyms.expand(parse_query("营商环境").terms)["营商环境"]


def test_the_table_is_read_once_per_process(django_assert_num_queries):
    group_of("甲方提法", "乙方提法")
    synonyms.expand(["甲方提法"])
    with django_assert_num_queries(0):
        for _ in range(3):
            assert synonyms.expand(["甲方提法"]) == {"甲方提法": ["乙方提法"]}


def test_a_deactivated_group_is_not_used():
    group = group_of("甲方提法", "乙方提法")
    assert synonyms.expand(["甲方提法"])
    group.active = False
    group.save()
    assert synonyms.expand(["甲方提法"]) == {}


def test_another_process_sees_the_change_through_the_shared_stamp():
    group_of("甲方提法", "乙方提法")
    assert synonyms.expand(["甲方提法"])
    # Another process changed the table: its signal only changed the stamp in the cache.
    SynonymGroup.objects.update(active=False)
    from django.core.cache import cache

    cache.set(synonyms.VERSION_KEY, "changed-elsewhere", timeout=None)
    assert synonyms.expand(["甲方提法"]) == {}


def test_admin_changelist_renders_and_searches(curator, seeded):
    page = curator.get(GROUPS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "同义提法" in html and "压实责任 ～ 落实主体责任" in html
    found = curator.get(GROUPS, {"q": "真抓实干"}).content.decode()
    assert "抓落实 ～ 真抓实干" in found and "压实责任 ～" not in found
    assert curator.get(GROUPS + "add/").status_code == 200


def test_an_admin_edit_takes_effect_without_restart(curator):
    group = group_of("甲方提法", "乙方提法")
    assert synonyms.expand(["甲方提法"]) == {"甲方提法": ["乙方提法"]}
    data = {"note": "测试", "active": "on", **inline(group, ["丙方提法"])}
    response = curator.post(f"{GROUPS}{group.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert synonyms.expand(["甲方提法"]) == {"甲方提法": ["乙方提法", "丙方提法"]}
    # a new group, added in the admin
    response = curator.post(
        GROUPS + "add/", {"note": "", "active": "on", **inline(None, ["丁提法", "戊提法"])}
    )
    assert response.status_code == 302
    assert synonyms.expand(["丁提法"]) == {"丁提法": ["戊提法"]}


def test_admin_refuses_a_group_of_one_and_short_formulations(curator):
    response = curator.post(GROUPS + "add/", {"active": "on", **inline(None, ["甲方提法"])})
    assert response.status_code == 200 and "至少要有两个不同的提法" in response.content.decode()
    response = curator.post(GROUPS + "add/", {"active": "on", **inline(None, ["甲方提法", "乙"])})
    assert "至少两个字" in response.content.decode()
    assert not Synonym.objects.filter(text="甲方提法").exists()


def test_admin_actions_switch_groups_off_and_on(curator):
    group = group_of("甲方提法", "乙方提法")
    assert synonyms.expand(["甲方提法"])
    data = {"action": "deactivate", "_selected_action": [group.pk], "index": 0}
    curator.post(GROUPS, data, follow=True)
    assert synonyms.expand(["甲方提法"]) == {}
    curator.post(GROUPS, {**data, "action": "activate"}, follow=True)
    assert synonyms.expand(["甲方提法"]) == {"甲方提法": ["乙方提法"]}


def test_drafters_cannot_reach_the_table(client, alice):
    client.force_login(alice)
    assert client.get(GROUPS).status_code == 302


def test_with_the_cache_down_the_copy_is_kept_a_while(monkeypatch, django_assert_num_queries):
    from django.core.cache import cache

    group = group_of("甲方提法", "乙方提法")
    monkeypatch.setattr(cache, "get", lambda *a, **k: None)  # a read is a miss
    monkeypatch.setattr(cache, "add", lambda *a, **k: False)  # a write is dropped
    monkeypatch.setattr(cache, "set", lambda *a, **k: None)
    assert synonyms.expand(["甲方提法"])
    SynonymGroup.objects.filter(pk=group.pk).update(active=False)  # edited in another process
    with django_assert_num_queries(0):
        assert synonyms.expand(["甲方提法"])
    monkeypatch.setattr(synonyms, "STALE_SECONDS", 0.0)
    assert synonyms.expand(["甲方提法"]) == {}


def test_spoken_words_lead_to_the_formulations_speeches_use(seeded):
    from speechdraft.library.services import SPOKEN_SYNONYMS_FILE

    groups = parse_tsv(SPOKEN_SYNONYMS_FILE.read_text(encoding="utf-8"))
    assert len(groups) >= 20
    synonyms_seed(path=SPOKEN_SYNONYMS_FILE)  # a transactional test may have flushed them
    assert synonyms_seed(path=SPOKEN_SYNONYMS_FILE) == 0
    assert "信访" in synonyms.expand(["上访"])["上访"]
