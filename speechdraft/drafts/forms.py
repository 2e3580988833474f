from django import forms

from speechdraft.drafts.models import LEVEL_STYLES, Draft
from speechdraft.drafts.services import (
    BODY_TOO_LONG,
    HEADING_TOO_LONG,
    MAX_BODY_CHARS,
    MAX_HEADING_CHARS,
    START_MODES,
    Details,
    StartMode,
)
from speechdraft.text.placeholders import slot_kind
from speechdraft.text.templating import from_brackets, to_brackets


class DraftCreateForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    meeting_name = forms.CharField(label="会议名称", max_length=200, required=False)
    speaker = forms.CharField(label="讲话人", max_length=100, required=False)
    date = forms.DateField(
        label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    region = forms.CharField(
        label="地区",
        max_length=100,
        required=False,
        help_text="填写完整名称，如“东山县”“江城市”；原稿中其余的地名、人名等在编辑页逐个填写",
    )
    skeleton = forms.CharField(required=False)  # an id, or "" for the blank frame
    mode = forms.ChoiceField(
        label="起草方式", choices=START_MODES, initial=StartMode.STRUCTURE, required=False
    )


class ItemForm(forms.Form):
    heading = forms.CharField(
        label="小标题",
        max_length=MAX_HEADING_CHARS,
        required=False,
        error_messages={"max_length": HEADING_TOO_LONG},
    )
    body = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea,
        max_length=MAX_BODY_CHARS,
        error_messages={"max_length": BODY_TOO_LONG},
    )

    # The plain form shows slots as 【地区】 and reads them back (no braces for a person).
    def __init__(self, *args, slot_names: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot_names = slot_names or set()

    @classmethod
    def for_item(cls, item) -> "ItemForm":
        return cls(initial={"heading": to_brackets(item.heading), "body": to_brackets(item.body)})

    def clean_heading(self) -> str:
        return from_brackets(self.cleaned_data["heading"], self.slot_names)

    def clean_body(self) -> str:
        return from_brackets(self.cleaned_data["body"], self.slot_names)


class DetailsForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    meeting_name = forms.CharField(label="会议名称", max_length=200, required=False)
    speaker = forms.CharField(label="讲话人", max_length=100, required=False)
    date = forms.DateField(
        label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    stage = forms.ChoiceField(label="阶段", choices=Draft.Stage.choices)
    target_minutes = forms.IntegerField(
        label="目标时长（分钟）", min_value=1, max_value=600, required=False
    )

    def details(self, post) -> Details:
        """Details with the slot variables posted as var_<名称> and a new pair new_name/new_value."""
        variables = {
            key[4:]: value for key, value in post.items() if key.startswith("var_") and len(key) > 4
        }
        # 全部填为同一值: all_<kind> fills every blank of that kind (姓名1, 姓名2 …).
        for key, value in post.items():
            kind = key[4:]
            if key.startswith("all_") and kind and value.strip():
                for name in list(variables):
                    if slot_kind(name) == kind:
                        variables[name] = value
        if post.get("new_name", "").strip():
            variables[post["new_name"].strip()] = post.get("new_value", "")
        data = self.cleaned_data
        return Details(
            title=data["title"],
            meeting_name=data["meeting_name"],
            speaker=data["speaker"],
            date=data["date"],
            stage=data["stage"],
            target_minutes=data["target_minutes"],
            variables=variables,
        )


def numbering_from_post(post) -> dict:
    return {
        str(level): {
            "style": post.get(f"style_{level}", choices[0]),
            "run_in": post.get(f"run_in_{level}") == "on",
        }
        for level, choices in LEVEL_STYLES.items()
    }
