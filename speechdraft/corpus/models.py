from django.conf import settings
from django.db import models

from speechdraft.text.freshness import source_year
from speechdraft.text.templating import to_brackets
from speechdraft.units.models import shared_field, unit_field


class Role(models.TextChoices):
    OPENING = "opening", "开场"
    SITUATION = "situation", "形势与认识"
    TASKS = "tasks", "重点任务"
    STYLE = "style", "作风与要求"
    OTHER = "other", "其他"
    CLOSING = "closing", "结尾"


class Status(models.TextChoices):
    CANDIDATE = "candidate", "待审核"
    APPROVED = "approved", "已采用"
    REJECTED = "rejected", "已弃用"


class SearchIndexed(models.Model):
    """A row found by library search: its tokens are refreshed on every save.

    Bulk writers (ingestion, re-indexing) set `search_tokens` themselves.
    """

    # jieba words + CJK bigrams (speechdraft.text.search.index_tokens), GIN-indexed on PostgreSQL.
    search_tokens = models.TextField("检索词", blank=True, editable=False)

    # The fields whose text is searchable.
    search_text_fields: tuple[str, ...] = ("text",)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        from speechdraft.text.search import index_tokens

        source = " ".join(getattr(self, name) or "" for name in self.search_text_fields)
        self.search_tokens = index_tokens(source)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_tokens"}
        super().save(*args, **kwargs)


class SourceDocument(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "排队中"
        PROCESSING = "processing", "处理中"
        DONE = "done", "已完成"
        DUPLICATE = "duplicate", "重复（未导入）"
        FAILED = "failed", "失败"

    unit = unit_field()
    # Marked 共享 by a superuser: every unit sees its speeches (admin action, with them).
    shared = shared_field()
    file_name = models.CharField("文件名", max_length=255)
    checksum = models.CharField("SHA-256 校验值", max_length=64, blank=True, db_index=True)
    upload = models.FileField("上传文件", upload_to="sources/%Y/%m/", blank=True)
    size = models.PositiveIntegerField("字节数", default=0)
    encoding = models.CharField("编码", max_length=20, blank=True)
    script = models.CharField(
        "原文字体",
        max_length=12,
        blank=True,
        choices=[("simplified", "简体"), ("traditional", "繁体")],
    )
    clean_text = models.TextField("清洗后正文", blank=True)
    removed_lines = models.JSONField("清除的行", default=list, blank=True)
    # The text pipeline's rules at the time (speechdraft.text.pipeline.PARSER_VERSION): a
    # document parsed by older rules is parsed again when it is ingested, unchanged or not.
    parser_version = models.PositiveSmallIntegerField("解析规则版本", default=0)
    state = models.CharField(
        "状态", max_length=12, choices=State.choices, default=State.PENDING, db_index=True
    )
    error = models.TextField("错误信息", blank=True)
    # A copy of speeches already stored (the same bytes, or the same speech from another
    # site): the document holding them. The copy stores no speech of its own.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name="重复于",
    )
    duplicate_similarity = models.FloatField("相似度", null=True, blank=True)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "源文档"
        verbose_name_plural = "源文档"
        ordering = ["file_name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "file_name"], name="document_unique_name")
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def incomplete_reasons(self) -> list[str]:
        """Why its speeches look like parts of speeches (Skeleton.incomplete), all of them."""
        skeletons = list(self.skeletons.all())
        if len(skeletons) == 1:
            return list(skeletons[0].incomplete)
        return [f"第{s.index + 1}篇：{reason}" for s in skeletons for reason in s.incomplete]


class UploadBatch(models.Model):
    """One submission of the upload page (or one 重新导入), ingested as one job: its documents
    in order, one at a time (speechdraft.corpus.tasks.ingest_batch). `notes` are what the upload
    itself did not accept or renamed; the items say how each accepted file went."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上传人",
    )
    unit = unit_field()
    notes = models.JSONField("上传时的提示", default=list, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "上传批次"
        verbose_name_plural = "上传批次"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"上传批次 {self.pk}"


class BatchItem(models.Model):
    """One document of a batch, with how its ingestion went (kept when the document is
    deleted or uploaded again in a later batch)."""

    batch = models.ForeignKey(
        UploadBatch, on_delete=models.CASCADE, related_name="items", verbose_name="上传批次"
    )
    position = models.PositiveIntegerField("顺序")
    document = models.ForeignKey(
        SourceDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="batch_items",
        verbose_name="源文档",
    )
    file_name = models.CharField("文件名", max_length=255)
    state = models.CharField(
        "状态",
        max_length=12,
        choices=SourceDocument.State.choices,
        default=SourceDocument.State.PENDING,
        db_index=True,
    )
    message = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "批次中的文件"
        verbose_name_plural = "批次中的文件"
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="batchitem_unique_pos")
        ]

    def __str__(self) -> str:
        return self.file_name


class SkeletonQuerySet(models.QuerySet):
    def stored(self):
        """Speeches whose text is stored here, not linked copies of another."""
        return self.filter(similarity__isnull=True)

    def copies(self):
        return self.filter(similarity__isnull=False)


class Skeleton(models.Model):
    """One speech: a compilation document yields several.

    A speech whose body is a near-duplicate of a stored one (the same speech scraped from
    another site, speechdraft.text.duplicates) is a *copy*: its header fields stay, for the
    record, but it has no sections, paragraphs or band hashes, and `duplicate_of` names the
    stored speech. `similarity` is set exactly on copies (its link is lost, null, when the
    stored speech is deleted: re-importing the file compares it again).
    """

    document = models.ForeignKey(
        SourceDocument, on_delete=models.CASCADE, related_name="skeletons", verbose_name="源文档"
    )
    # Its document's unit and 共享 mark, copied so the skeleton choice filters one table.
    unit = unit_field()
    shared = shared_field()
    index = models.PositiveSmallIntegerField("篇序", default=0)
    title = models.CharField("标题", max_length=300)
    speaker = models.CharField("讲话人", max_length=100, blank=True)
    date_text = models.CharField("日期", max_length=60, blank=True)
    # The speech's year: its date, else a year in its title, else in the file's name (None
    # when none says); derived on every save, so a curator corrects it through 日期.
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True, editable=False)
    salutation = models.CharField("称谓", max_length=100, blank=True)
    char_count = models.PositiveIntegerField("字数", default=0)
    # Drafters start only from approved skeletons; a curator approves one (also one flagged
    # incomplete, deliberately).
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.CANDIDATE, db_index=True
    )
    incomplete = models.JSONField("不完整的原因", default=list, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name="重复于",
    )
    similarity = models.FloatField("与原件的相似度", null=True, blank=True)

    objects = SkeletonQuerySet.as_manager()

    class Meta:
        verbose_name = "讲话骨架"
        verbose_name_plural = "讲话骨架"
        ordering = ["document", "index"]
        constraints = [
            models.UniqueConstraint(fields=["document", "index"], name="skeleton_unique_index")
        ]

    def __str__(self) -> str:
        return to_brackets(self.title)  # as a person reads it: 【地区】, never braces

    def save(self, *args, **kwargs) -> None:
        file_name = self.document.file_name if self.document_id else ""
        self.year = source_year(self.date_text, self.title, file_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "year"}
        super().save(*args, **kwargs)

    @property
    def is_copy(self) -> bool:
        return self.similarity is not None


class SpeechBand(models.Model):
    """One LSH band hash of a stored speech's body: the index that finds the same speech
    scraped from another site (speechdraft.text.duplicates; the review index's bands)."""

    skeleton = models.ForeignKey(
        Skeleton, on_delete=models.CASCADE, related_name="bands", verbose_name="讲话骨架"
    )
    band_hash = models.BigIntegerField("指纹值", db_index=True)

    class Meta:
        verbose_name = "讲话查重指纹"
        verbose_name_plural = "讲话查重指纹"

    def __str__(self) -> str:
        return f"{self.skeleton_id}:{self.band_hash}"


class Section(models.Model):
    skeleton = models.ForeignKey(
        Skeleton, on_delete=models.CASCADE, related_name="sections", verbose_name="讲话骨架"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级部分",
    )
    position = models.PositiveIntegerField("顺序")
    level = models.PositiveSmallIntegerField("层级")
    number = models.CharField("序号", max_length=20, blank=True)
    style = models.CharField("序号样式", max_length=20, blank=True)
    heading = models.CharField("标题", max_length=300, blank=True)
    role = models.CharField("功能", max_length=12, choices=Role.choices, blank=True)

    class Meta:
        verbose_name = "部分"
        verbose_name_plural = "部分"
        ordering = ["skeleton", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="section_level_1_to_4"
            ),
            models.UniqueConstraint(fields=["skeleton", "position"], name="section_unique_pos"),
        ]

    def __str__(self) -> str:
        return to_brackets(f"{self.number}{self.heading}")


class Paragraph(SearchIndexed):
    """A reusable paragraph: body text with slots, the heading it sat under, its part's role."""

    skeleton = models.ForeignKey(
        Skeleton, on_delete=models.CASCADE, related_name="paragraphs", verbose_name="讲话骨架"
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="paragraphs",
        verbose_name="所属部分",
    )
    # Its speech's unit, copied so that search filters the indexed table alone; 共享 may be
    # set on one paragraph or on its whole document.
    unit = unit_field()
    shared = shared_field()
    position = models.PositiveIntegerField("顺序")
    level = models.PositiveSmallIntegerField("层级", default=0)
    number = models.CharField("序号", max_length=20, blank=True)
    heading = models.CharField("小标题", max_length=300, blank=True)
    text = models.TextField("正文")
    role = models.CharField("功能", max_length=12, choices=Role.choices)
    keywords = models.JSONField("关键词", default=list, blank=True)
    usage_count = models.PositiveIntegerField("使用次数", default=0)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.CANDIDATE, db_index=True
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "段落"
        verbose_name_plural = "段落"
        ordering = ["skeleton", "position"]
        constraints = [
            models.UniqueConstraint(fields=["skeleton", "position"], name="paragraph_unique_pos")
        ]

    def __str__(self) -> str:
        return to_brackets(self.text)[:40]

    @property
    def source_year(self) -> int | None:
        """The year of the speech it comes from (None: unknown)."""
        return self.skeleton.year

    search_text_fields = ("heading", "text")


class Term(models.Model):
    """A word of jieba's user dictionary (domain terms and slogans)."""

    class Origin(models.TextChoices):
        MINED = "mined", "语料挖掘"
        MANUAL = "manual", "人工添加"

    # jieba's dictionary is one per process: every unit's words shape segmentation (they only
    # move word boundaries, no text is shown); the unit says whose curators edit the row.
    unit = unit_field()
    shared = shared_field()
    word = models.CharField("词语", max_length=40)
    note = models.CharField("说明", max_length=100, blank=True)
    origin = models.CharField("来源", max_length=8, choices=Origin.choices, default=Origin.MANUAL)
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "词典词条"
        verbose_name_plural = "词典词条"
        ordering = ["word"]
        constraints = [models.UniqueConstraint(fields=["unit", "word"], name="term_unique_word")]

    def __str__(self) -> str:
        return self.word
