from django import forms

from speechdraft.corpus.uploads import Budget, Unpacked, UploadError, size_text, unpack


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".txt,.docx,.html,.htm,.zip"})
        )
        # An empty file is skipped with a note, not a reason to refuse the others.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


def limits_text(budget: Budget) -> str:
    return (
        f"单个文件不超过 {size_text(budget.file_bytes)}；一次最多 {budget.files} 个文件"
        f"（含压缩包内的文件），合计不超过 {size_text(budget.request_bytes)}，"
        f"解压后合计不超过 {size_text(budget.unzipped_bytes)}。"
    )


class UploadForm(forms.Form):
    files = MultipleFileField(label="讲话稿文件")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.budget = Budget.from_settings()
        self.fields["files"].help_text = (
            "可多选：.txt（UTF-8、GBK、Big5、UTF-16 均可）、.docx、.html，或打包成 .zip。"
            + limits_text(self.budget)
        )

    def clean_files(self) -> Unpacked:
        try:
            unpacked = unpack(self.cleaned_data["files"], self.budget)
        except UploadError as exc:
            raise forms.ValidationError(exc.message) from None
        if not unpacked.files:
            raise forms.ValidationError(
                ["本次上传没有可导入的文件，未接收任何文件：", *unpacked.notes]
            )
        return unpacked
