from django import forms

from speechdraft.corpus.uploads import UploadError, upload_members

MAX_FILES = 50


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".txt,.docx,.html,.htm,.zip"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="讲话稿文件",
        help_text="可多选：.txt（UTF-8、GBK、Big5、UTF-16 均可）、.docx、.html，或打包成 .zip。",
    )

    def clean_files(self) -> list[tuple[str, bytes]]:
        uploaded = self.cleaned_data["files"]
        if len(uploaded) > MAX_FILES:
            raise forms.ValidationError(f"一次最多上传 {MAX_FILES} 个文件。")
        members: list[tuple[str, bytes]] = []
        for upload in uploaded:
            try:
                members.extend((m.name, m.data) for m in upload_members(upload.name, upload.read()))
            except UploadError as exc:
                raise forms.ValidationError(exc.message) from None
        return members
