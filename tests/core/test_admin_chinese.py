"""The admin speaks Chinese: every column header, filter, model and field label has Chinese in it.

Walks every registered ModelAdmin (and every model of the project's apps, registered or not)
so that a field added later without a verbose_name shows up here, not as "CREATED AT" in a
curator's list. The primary key ("ID") is Django's own and left out.
"""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.admin.utils import label_for_field
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]")
PROJECT_APPS = ("corpus", "library", "exports", "review", "drafts", "core")
REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
CURATION_LISTS = ("corpus.Paragraph", "library.Phrase")


def _chinese(label) -> bool:
    return bool(CJK.search(str(label)))


def _models():
    project = [m for label in PROJECT_APPS for m in apps.get_app_config(label).get_models()]
    return sorted({*project, *admin.site._registry}, key=lambda m: m._meta.label)


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.cn", "pw-root-1234")
    client.force_login(user)
    return client


def _changelist(client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("model", _models(), ids=lambda m: m._meta.label)
def test_models_and_fields_have_chinese_names(model):
    opts = model._meta
    with translation.override("zh-hans"):
        assert _chinese(opts.verbose_name), f"{opts.label}: verbose_name {opts.verbose_name!r}"
        assert _chinese(opts.verbose_name_plural), (
            f"{opts.label}: verbose_name_plural {opts.verbose_name_plural!r}"
        )
        english = [
            f"{f.name} ({f.verbose_name!r})"
            for f in opts.get_fields()
            if not f.auto_created and not f.primary_key and not _chinese(f.verbose_name)
        ]
    assert not english, f"{opts.label}: fields without a Chinese verbose_name: {english}"


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED]
)
def test_changelist_headers_and_filters_are_chinese(superuser_client, model, model_admin):
    response = _changelist(superuser_client, model)
    cl, request = response.context["cl"], response.wsgi_request
    with translation.override("zh-hans"):
        headers = [
            (name, header["text"])
            for name, header in zip(cl.list_display, result_headers(cl), strict=True)
            if name != "action_checkbox"
        ]
        english = [f"{name}: {text!r}" for name, text in headers if not _chinese(text)]
        assert not english, f"{model._meta.label}: column headers not in Chinese: {english}"
        filters = [str(spec.title) for spec in cl.filter_specs]
        english = [title for title in filters if not _chinese(title)]
        assert not english, f"{model._meta.label}: filter titles not in Chinese: {english}"
        # The change form's inlines (e.g. a phrase's 出处) label their columns too.
        for inline in model_admin.get_inline_instances(request):
            names = inline.get_fields(request)
            labels = [label_for_field(n, inline.model, inline) for n in names]
            english = [
                f"{n}: {lb!r}" for n, lb in zip(names, labels, strict=True) if not _chinese(lb)
            ]
            assert not english, f"{model._meta.label} inline {inline.model._meta.label}: {english}"
            assert _chinese(inline.verbose_name_plural)


def test_export_job_list_reads_in_chinese(superuser_client, django_user_model):
    """The list of the issue: 标题, 讲话稿版本, 格式, 用户, 状态, 创建时间, 完成时间; 以 状态."""
    from speechdraft.drafts.models import Draft
    from speechdraft.exports.models import ExportJob

    owner = django_user_model.objects.create_user("alice")
    draft = Draft.objects.create(owner=owner, title="讲话")
    ExportJob.objects.create(draft=draft, draft_version=1, title="讲话", user=owner)
    html = _changelist(superuser_client, ExportJob).content.decode()
    for label in ("标题", "讲话稿版本", "格式", "用户", "状态", "创建时间", "完成时间", "以 状态"):
        assert label in html
    for english in ("Title", "Draft version", "Created at", "Finished at", "以 status"):
        assert english not in html


@pytest.mark.parametrize("label", CURATION_LISTS)
def test_paragraph_and_phrase_lists_have_a_search_box_and_their_styles(superuser_client, label):
    model = apps.get_model(label)
    assert admin.site._registry[model].search_fields
    response = _changelist(superuser_client, model)
    html = response.content.decode()
    assert response.context["cl"].search_fields
    assert 'id="searchbar"' in html
    assert "admin/css/speechdraft_curation.css" in html


def test_the_curation_styles_are_served():
    from django.contrib.staticfiles import finders

    path = finders.find("admin/css/speechdraft_curation.css")
    assert path, "static/admin/css/speechdraft_curation.css is missing"
    with open(path, encoding="utf-8") as f:
        css = f.read()
    assert ".field-short_text" in css and ".field-shown_text" in css
