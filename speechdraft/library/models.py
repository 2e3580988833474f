from django.conf import settings
from django.db import models
from django.utils import timezone

from speechdraft.corpus.models import Paragraph, SearchIndexed, SourceDocument, Status
from speechdraft.text.templating import to_brackets
from speechdraft.units.models import shared_field, unit_field


class PhraseKind(models.TextChoices):
    GOLDEN = "golden", "金句"
    PARALLEL = "parallel", "排比"
    FOUR_CHAR = "four_char", "四字短语"
    TRANSITION = "transition", "过渡语"
    OPENING = "opening", "开头语"
    CLOSING = "closing", "结束语"
    SLOGAN = "slogan", "口号"


class Phrase(SearchIndexed):
    unit = unit_field()
    shared = shared_field()
    kind = models.CharField("类型", max_length=12, choices=PhraseKind.choices, db_index=True)
    text = models.TextField("内容")
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.CANDIDATE, db_index=True
    )
    # A drafter's private phrase: visible to its owner only, never curated into the library.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="private_phrases",
        verbose_name="私有（所属用户）",
    )
    usage_count = models.PositiveIntegerField("使用次数", default=0)
    # Mining's score in [0, 1] (speechdraft.text.phrase_quality); None for a phrase a person
    # wrote (admin, CSV import, a drafter's private phrase) or one mined before scores existed.
    quality = models.FloatField("质量分", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "短语"
        verbose_name_plural = "短语"
        ordering = ["kind", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "text"],
                condition=models.Q(owner__isnull=True),
                name="phrase_unique_kind_text",
            ),
            models.UniqueConstraint(
                fields=["owner", "kind", "text"],
                condition=models.Q(owner__isnull=False),
                name="private_phrase_unique",
            ),
        ]

    def __str__(self) -> str:
        return to_brackets(self.text)[:40]  # as a person reads it: 【地区】, never braces


class Tag(models.Model):
    name = models.CharField("标签", max_length=30, unique=True)
    phrases = models.ManyToManyField(Phrase, blank=True, related_name="tags", verbose_name="短语")
    paragraphs = models.ManyToManyField(
        Paragraph, blank=True, related_name="tags", verbose_name="段落"
    )

    class Meta:
        verbose_name = "标签"
        verbose_name_plural = "标签"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PhraseSource(models.Model):
    """Where a phrase was found; a phrase keeps every source, also after merges."""

    phrase = models.ForeignKey(
        Phrase, on_delete=models.CASCADE, related_name="sources", verbose_name="短语"
    )
    document = models.ForeignKey(
        SourceDocument,
        on_delete=models.CASCADE,
        related_name="phrase_sources",
        verbose_name="源文档",
    )
    speech_index = models.PositiveSmallIntegerField("篇序", default=0)
    position = models.CharField("位置", max_length=60, blank=True)

    class Meta:
        verbose_name = "短语出处"
        verbose_name_plural = "短语出处"
        constraints = [
            models.UniqueConstraint(
                fields=["phrase", "document", "speech_index", "position"],
                name="phrase_source_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} #{self.speech_index} {self.position}"


class SynonymGroup(models.Model):
    """Formulations that mean the same in a speech (同义提法): a search for one finds the others.

    Curators edit a group as a whole (its members inline); a group switched off is not used.
    """

    unit = unit_field()
    shared = shared_field()
    note = models.CharField("说明", max_length=200, blank=True)
    active = models.BooleanField("启用", default=True, db_index=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "同义提法"
        verbose_name_plural = "同义提法"
        ordering = ["pk"]

    def __str__(self) -> str:
        members = "、".join(m.text for m in self.members.all())
        return members[:60] or f"同义提法 #{self.pk}"


class Synonym(models.Model):
    """One formulation of a group."""

    group = models.ForeignKey(
        SynonymGroup, on_delete=models.CASCADE, related_name="members", verbose_name="所属组"
    )
    text = models.CharField("提法", max_length=40, db_index=True)

    class Meta:
        verbose_name = "提法"
        verbose_name_plural = "提法"
        ordering = ["group", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "text"], name="synonym_unique_in_group")
        ]

    def __str__(self) -> str:
        return self.text


class _MaterialRef(models.Model):
    """A drafter's reference to one library paragraph or one phrase (exactly one of them)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="用户"
    )
    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="段落",
    )
    phrase = models.ForeignKey(
        Phrase,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="短语",
    )

    class Meta:
        abstract = True

    @property
    def item(self) -> Paragraph | Phrase:
        return self.paragraph if self.paragraph_id else self.phrase


def _one_item(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(paragraph__isnull=False, phrase__isnull=True)
        | models.Q(paragraph__isnull=True, phrase__isnull=False),
        name=name,
    )


class Favourite(_MaterialRef):
    """收藏: a paragraph or phrase a drafter keeps at hand."""

    created_at = models.DateTimeField("收藏时间", auto_now_add=True)

    class Meta:
        verbose_name = "收藏"
        verbose_name_plural = "收藏"
        ordering = ["-created_at", "-id"]
        constraints = [
            _one_item("favourite_one_item"),
            models.UniqueConstraint(
                fields=["user", "paragraph"],
                condition=models.Q(paragraph__isnull=False),
                name="favourite_unique_paragraph",
            ),
            models.UniqueConstraint(
                fields=["user", "phrase"],
                condition=models.Q(phrase__isnull=False),
                name="favourite_unique_phrase",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.item}"


class MaterialUse(_MaterialRef):
    """最近使用: one insert of library material into a draft (the last few per user kept)."""

    at = models.DateTimeField("使用时间", default=timezone.now)

    class Meta:
        verbose_name = "素材使用记录"
        verbose_name_plural = "素材使用记录"
        ordering = ["-at", "-id"]
        constraints = [_one_item("material_use_one_item")]
        indexes = [models.Index(fields=["user", "-at"], name="material_use_user_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M}: {self.item}"


class Formulation(models.Model):
    """A curated wording rule: an outdated 提法 or a common mistaken word, with the right one.

    A dated 提法 has `superseded_on`: it is wrong only for text meant for a later date (the
    审稿 of a draft dated after it), and it marks library material 时效 (speechdraft.text.
    freshness). `note` is what the drafter reads. The starting list is seeded by migrations
    (speechdraft.library.services.formulations_seed): an entry of it that is deleted comes back with the next
    seeding, so a curator retires one by unticking 启用.
    """

    class Kind(models.TextChoices):
        TYPO = "typo", "错别字"
        OUTDATED = "outdated", "过时或不规范提法"

    # The starting list is seeded into the default unit, 共享 (every unit checks against it).
    unit = unit_field()
    shared = shared_field()
    wrong = models.CharField("错误或过时写法", max_length=60)
    right = models.CharField("规范写法", max_length=60, blank=True)
    note = models.CharField(
        "说明",
        max_length=200,
        blank=True,
        help_text="给起草人看的原因，如“党的十八大已于2012年11月召开”。",
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.TYPO)
    valid_from = models.DateField(
        "启用日期", null=True, blank=True, help_text="该写法开始使用的日期（可不填）。"
    )
    superseded_on = models.DateField(
        "停用日期",
        null=True,
        blank=True,
        db_index=True,
        help_text="该写法从何时起不再适用。填写后，只对日期在此之后的讲话稿提示，"
        "并在素材库中标记“时效”；不填则始终提示。",
    )
    active = models.BooleanField(
        "启用",
        default=True,
        help_text="不再使用的条目请取消勾选，不要删除（初始条目删除后会恢复）。",
    )

    class Meta:
        verbose_name = "提法与用字"
        verbose_name_plural = "提法与用字"
        ordering = ["kind", "wrong"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "wrong"], name="formulation_unique_wrong")
        ]

    def __str__(self) -> str:
        return f"{self.wrong} → {self.right or '（删除）'}"
