from django.conf import settings
from django.db import models

from speechdraft.drafts.models import Draft
from speechdraft.text.sanitize import one_line
from speechdraft.units.models import shared_field, unit_field


class Profile(models.TextChoices):
    GONGWEN = "gongwen", "公文格式"
    LARGE = "large", "讲话大字版"


class Format(models.TextChoices):
    DOCX = "docx", "Word"
    PDF = "pdf", "PDF"


CONTENT_TYPES = {
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.PDF: "application/pdf",
}


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    # SET_NULL: a draft deleted while its job waits leaves a job that says so, not a 404.
    draft = models.ForeignKey(
        Draft, on_delete=models.SET_NULL, null=True, related_name="exports", verbose_name="讲话稿"
    )
    draft_version = models.PositiveIntegerField("讲话稿版本")
    # A 花脸稿: the changes from this version to draft_version as Word tracked changes (修订).
    base_version = models.PositiveIntegerField("对比的早期版本", null=True, blank=True)
    title = models.CharField("标题", max_length=200)
    profile = models.CharField(
        "格式", max_length=10, choices=Profile.choices, default=Profile.GONGWEN
    )
    placeholders = models.BooleanField("征求意见稿（未填写处显示×××）", default=False)
    # 附带批注: the draft's open comments as Word comments (批注), as they stand when it renders.
    comments = models.BooleanField("附带批注", default=False)
    # PDF: the same .docx laid out by LibreOffice on the worker (exports/pdf.py).
    format = models.CharField("文件类型", max_length=4, choices=Format.choices, default=Format.DOCX)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="用户"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField("错误信息", blank=True)
    file = models.FileField("文件", upload_to="exports/%Y/%m/", blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # Set when 重试 queues the job again: how long it has waited counts from then.
    requeued_at = models.DateTimeField("重新排队时间", null=True, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["draft", "draft_version", "profile", "placeholders"]),
            # A user's jobs queued or running: counted against EXPORT_MAX_ACTIVE_PER_USER.
            models.Index(fields=["user", "status"], name="exports_job_user_status"),
        ]

    def __str__(self) -> str:
        if self.base_version is not None:
            return f"{self.title}（花脸稿，第 {self.base_version} → {self.draft_version} 版）"
        return f"{self.title}（第 {self.draft_version} 版，{self.get_profile_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def download_name(self) -> str:
        suffix = "（征求意见稿）" if self.placeholders else ""
        if self.comments:
            suffix += "（附批注）"
        if self.base_version is not None:
            suffix = f"（花脸稿：第{self.base_version}版→第{self.draft_version}版）"
        large = "（大字版）" if self.profile == Profile.LARGE else ""
        title = one_line(self.title)
        safe = "".join(ch for ch in title if ch not in '\\/:*?"<>|')[:80].strip() or "讲话稿"
        return f"{safe}{suffix}{large}.{self.format}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[Format(self.format)]


class OfficeReference(models.Model):
    """An office's own reference .docx (styles, letterhead), chosen as the default in the admin."""

    unit = unit_field()
    shared = shared_field()
    name = models.CharField("名称", max_length=100)
    file = models.FileField("参考文档", upload_to="references/")
    is_default = models.BooleanField("设为默认", default=False)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "单位参考文档"
        verbose_name_plural = "单位参考文档"
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(is_default=True),
                name="one_default_reference",
            )
        ]

    def __str__(self) -> str:
        return self.name + ("（默认）" if self.is_default else "")
