from django import forms

from speechdraft.corpus.models import Role
from speechdraft.library.models import PhraseKind
from speechdraft.library.selectors import PARAGRAPH

KIND_CHOICES = [("", "全部类型"), (PARAGRAPH, "段落"), *PhraseKind.choices]
ROLE_CHOICES = [("", "全部部分"), *Role.choices]


class SearchForm(forms.Form):
    """The 素材库 page's query; its facets are read by facets.Filters."""

    q = forms.CharField(label="搜索素材", required=False, max_length=2000)
    fresh = forms.BooleanField(label="隐藏过时素材", required=False)


class PrivatePhraseForm(forms.Form):
    text = forms.CharField(label="短语", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label="类型", choices=PhraseKind.choices, initial=PhraseKind.GOLDEN)
