from django.conf import settings
from django.db import models

from speechdraft.corpus.models import Paragraph
from speechdraft.drafts.models import Draft


class ReuseSignature(models.Model):
    """A corpus paragraph is in the reuse index as of `indexed_at`."""

    paragraph = models.OneToOneField(
        Paragraph, on_delete=models.CASCADE, related_name="reuse_signature", verbose_name="段落"
    )
    indexed_at = models.DateTimeField("索引时间", auto_now=True)

    class Meta:
        verbose_name = "复用索引记录"
        verbose_name_plural = "复用索引记录"

    def __str__(self) -> str:
        return f"#{self.paragraph_id}"


class ReuseBand(models.Model):
    """One LSH band hash of a paragraph's MinHash signature: the reuse index on disk."""

    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="reuse_bands", verbose_name="段落"
    )
    band_hash = models.BigIntegerField("指纹值", db_index=True)

    class Meta:
        verbose_name = "复用索引指纹"
        verbose_name_plural = "复用索引指纹"

    def __str__(self) -> str:
        return f"{self.paragraph_id}:{self.band_hash}"


class ReviewDismissal(models.Model):
    """A finding the drafter dismissed: not shown again for this draft."""

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="review_dismissals", verbose_name="讲话稿"
    )
    key = models.CharField("提示标识", max_length=40)
    created_at = models.DateTimeField("忽略时间", auto_now_add=True)

    class Meta:
        verbose_name = "已忽略的审稿提示"
        verbose_name_plural = "已忽略的审稿提示"
        constraints = [models.UniqueConstraint(fields=["draft", "key"], name="dismissal_unique")]

    def __str__(self) -> str:
        return self.key


class ReviewRun(models.Model):
    """A full review (全文审稿), run by Celery; the row is the source of truth for its status."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "审稿中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="review_runs", verbose_name="讲话稿"
    )
    version = models.PositiveIntegerField("讲话稿版本")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    findings = models.JSONField("审稿意见", default=list, blank=True)
    summary = models.JSONField("汇总", default=dict, blank=True)
    error = models.TextField("错误信息", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "全文审稿"
        verbose_name_plural = "全文审稿"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"审稿 v{self.version} {self.get_status_display()}"


class ItemSignature(models.Model):
    """A draft item is in its owner's reuse index with the body it had then (`body_hash`):
    the index of a drafter's earlier drafts, kept on write by the worker
    (services.items_index_sync), read by the on-save hints without hashing anything else."""

    item = models.OneToOneField(
        "drafts.DraftItem",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reuse_signature",
        verbose_name="条目",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="用户"
    )
    body_hash = models.CharField("正文摘要", max_length=32)

    class Meta:
        verbose_name = "讲话稿复用索引记录"
        verbose_name_plural = "讲话稿复用索引记录"

    def __str__(self) -> str:
        return f"#{self.item_id}"


class ItemBand(models.Model):
    """One LSH band hash of a draft item's MinHash signature, under its owner."""

    item = models.ForeignKey(
        "drafts.DraftItem",
        on_delete=models.CASCADE,
        related_name="reuse_bands",
        verbose_name="条目",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="用户"
    )
    band_hash = models.BigIntegerField("指纹值")

    class Meta:
        verbose_name = "讲话稿复用索引指纹"
        verbose_name_plural = "讲话稿复用索引指纹"
        indexes = [models.Index(fields=["owner", "band_hash"], name="item_band_owner_hash")]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.band_hash}"
