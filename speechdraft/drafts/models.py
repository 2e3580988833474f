import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from speechdraft.corpus.models import Paragraph, Section, Skeleton
from speechdraft.units.models import unit_field
from speechdraft.units.people import person_name

# Numbering choices per level; the first of each is the default.
LEVEL_STYLES: dict[int, tuple[str, ...]] = {
    1: ("一、", "第一，", "第一个问题，"),
    2: ("（一）", "一是", "一要"),
    3: ("1.",),
    4: ("（1）",),
}
# Styles that are run-in by nature: the heading cannot stand on a line of its own.
RUN_IN_ONLY = frozenset({"第一，", "一是", "一要"})


def default_numbering() -> dict:
    return {
        "1": {"style": "一、", "run_in": False},
        "2": {"style": "（一）", "run_in": True},
        "3": {"style": "1.", "run_in": True},
        "4": {"style": "（1）", "run_in": True},
    }


class DraftQuerySet(models.QuerySet):
    def live(self):
        """Drafts not in the 回收站."""
        return self.filter(deleted_at__isnull=True)


class Flow(models.TextChoices):
    OPEN = "open", "起草中"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "待定稿"
    FINAL = "final", "已定稿"


class Draft(models.Model):
    Flow = Flow

    class Stage(models.TextChoices):
        DRAFTING = "drafting", "起草"
        REVISING = "revising", "修改"
        FINAL = "final", "定稿"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="drafts",
        verbose_name="起草人",
    )
    # The owner's unit when it was made: its library is the one the draft draws on.
    unit = unit_field()
    title = models.CharField("标题", max_length=200)
    meeting_name = models.CharField("会议名称", max_length=200, blank=True)
    speaker = models.CharField("讲话人", max_length=100, blank=True)
    date = models.DateField("日期", null=True, blank=True)
    variables = models.JSONField("填空变量", default=dict, blank=True)
    numbering = models.JSONField("编号样式", default=default_numbering)
    stage = models.CharField("阶段", max_length=10, choices=Stage.choices, default=Stage.DRAFTING)
    version = models.PositiveIntegerField("版本", default=1)
    skeleton = models.ForeignKey(
        Skeleton,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="讲话骨架",
    )
    target_minutes = models.PositiveSmallIntegerField("目标时长（分钟）", null=True, blank=True)
    char_count = models.PositiveIntegerField("字数", default=0)
    # What its revisions take in the database (bytes), kept as they are written: the owner's
    # drafts summed make the storage quota (REVISION_QUOTA_BYTES) cheap to check.
    revision_bytes = models.PositiveBigIntegerField("修改记录占用（字节）", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    # Where the draft stands in its unit's 送审 → 审核 → 定稿 (drafts/flow.py), and who holds
    # it: the member it was sent to for 审核, or after 审核通过 the one who approved it.
    flow = models.CharField(
        "流转状态", max_length=10, choices=Flow.choices, default=Flow.OPEN, db_index=True
    )
    flow_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    flow_at = models.DateTimeField("流转时间", null=True, blank=True)
    # 删除 moves a draft to the 回收站; it can be restored until it is purged (TRASH_DAYS).
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True, db_index=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = "讲话稿"
        verbose_name_plural = "讲话稿"
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def reference_date(self) -> datetime.date:
        """The date its wording is judged for (审稿 提法, library 时效): its meeting date, else
        today."""
        return self.date or timezone.localdate()


class DraftItem(models.Model):
    """One node of a draft's outline.

    `numbered` items are parts and their sub-points (level = depth, 1-4); their numbers are
    computed from their position among numbered siblings, never stored. Unnumbered items are
    plain paragraphs: the opening and closing at the root, or body paragraphs under a part.
    """

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="items", verbose_name="讲话稿"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级条目",
    )
    position = models.PositiveIntegerField("顺序")
    level = models.PositiveSmallIntegerField("层级", default=0)
    numbered = models.BooleanField("编号", default=False)
    heading = models.CharField("小标题", max_length=300, blank=True)
    body = models.TextField("正文", blank=True)
    source_paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="来源段落",
    )
    # A draft begun from a skeleton's structure: the part this item stands for (its source
    # paragraphs are offered in 参考原文) and a quiet hint of what to write while it is empty.
    source_section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="来源部分",
    )
    hint = models.CharField("提示", max_length=80, blank=True)

    class Meta:
        verbose_name = "讲话稿条目"
        verbose_name_plural = "讲话稿条目"
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=0, level__lte=4), name="draft_item_level_0_to_4"
            ),
        ]
        indexes = [models.Index(fields=["draft", "parent", "position"])]

    def __str__(self) -> str:
        return (self.heading or self.body)[:40]


class Revision(models.Model):
    """Every change of a draft, with who and when; `snapshot` holds the state after it, in
    full or as a delta from the revision before (drafts/revisions.py). Read it with
    versions.revision_snapshot() (a drafts/snapshot.py Snapshot), never by decoding
    `snapshot` alone."""

    class Kind(models.TextChoices):
        FULL = "full", "完整快照"
        DELTA = "delta", "增量"

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="revisions", verbose_name="讲话稿"
    )
    version = models.PositiveIntegerField("版本")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name="修改人"
    )
    action = models.CharField("操作", max_length=100)
    stage = models.CharField("阶段", max_length=10, choices=Draft.Stage.choices)
    stage_changed = models.BooleanField("阶段已变更", default=False)
    # The revision whose state precedes this one for 撤销: version - 1 for an ordinary change;
    # for an undo, the predecessor of the state it restored, so repeated undos walk back.
    parent_version = models.PositiveIntegerField("撤销到的版本", null=True, blank=True)
    # For an undo (or a redo that has more to redo): the version 重做 brings back.
    redo_version = models.PositiveIntegerField("重做到的版本", null=True, blank=True)
    # A text edit of one item: typing saved every second is one change while it goes on
    # (see versions.commit), so one 撤销 takes back one stretch of typing.
    item_id = models.PositiveIntegerField("所改条目编号", null=True, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    # Something outside the draft refers to this version (an export job renders it): it is
    # never folded into the next stretch of typing.
    pinned = models.BooleanField("已被引用", default=False)
    # What the change did, in words a drafter reads (修改第二部分（一）, 插入素材《…》); rows
    # from before it say only `action`.
    summary = models.CharField("修改内容", max_length=200, blank=True)
    # Changes with the same key (one item's text, one list's order) made one after another by
    # one person read as one version in the history (drafts/history.py).
    group_key = models.CharField("合并标识", max_length=40, blank=True)
    # A version the drafter named (送审稿, 修改稿二, 定稿): kept as it is, listed in the compare
    # picker, never folded into later typing.
    name = models.CharField("版本名称", max_length=20, blank=True)
    snapshot = models.BinaryField("快照")
    # Rows written before deltas are all full snapshots: the default reads them as they are.
    kind = models.CharField("存储方式", max_length=5, choices=Kind.choices, default=Kind.FULL)
    created_at = models.DateTimeField("修改时间", auto_now_add=True)

    class Meta:
        verbose_name = "修改记录"
        verbose_name_plural = "修改记录"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "version"], name="revision_unique_version")
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.label}"

    @property
    def label(self) -> str:
        """What the change did, in words (its summary; older rows, their action)."""
        return self.summary or self.action


class OnWords(models.Model):
    """Something on words of one item's heading or body (a Proposal, a Comment): `anchor` (the
    words as they were), `before`/`after` (the text beside them) and `offset` find the place
    again once the text has moved (text.anchors.find_anchor).

    Undo, redo and restore put items back under their own ids (versions._restore deletes and
    re-creates them): `item` has no database constraint and is left alone when its item goes,
    so the row finds its item again once an undo brings it back."""

    item = models.ForeignKey(
        DraftItem,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name="所在条目",
    )
    field = models.CharField("所在部分", max_length=10, blank=True)  # "heading" / "body"
    offset = models.PositiveIntegerField("位置", default=0)
    anchor = models.TextField("原文", blank=True)
    before = models.CharField("前文", max_length=40, blank=True)
    after = models.CharField("后文", max_length=40, blank=True)

    class Meta:
        abstract = True


class Proposal(OnWords):
    """A change the leader marked in a Word file (a tracked insertion or deletion, a comment),
    or something of the file the draft could not take in, waiting for the drafter's 接受 / 拒绝.

    `offset`/`length` place it in the item's `field` (heading or body) as it was at import;
    `anchor` (the original words it concerns) and `before`/`after` (the original text beside
    it) find its place again once the text has moved. A `paragraph` is a new paragraph of the
    file, to go after `item` (None: at the start); `unplaced` is content listed in the
    import's notice (a table, an image, a change in a footer…)."""

    class Kind(models.TextChoices):
        INSERT = "insert", "插入"
        DELETE = "delete", "删除"
        COMMENT = "comment", "批注"
        PARAGRAPH = "paragraph", "新段落"
        UNPLACED = "unplaced", "未能放入"

    class State(models.TextChoices):
        OPEN = "open", "待处理"
        ACCEPTED = "accepted", "已接受"
        REJECTED = "rejected", "已拒绝"

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="proposals", verbose_name="讲话稿"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    length = models.PositiveIntegerField("长度", default=0)
    text = models.TextField("内容", blank=True)
    author = models.CharField("作者", max_length=100, blank=True)
    date = models.DateTimeField("修订时间", null=True, blank=True)
    filename = models.CharField("来源文件", max_length=200, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    # The version its 接受 made: 撤销 back past it opens the proposal again, 重做 closes it.
    applied_version = models.PositiveIntegerField("接受于版本", null=True, blank=True)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "修订建议"
        verbose_name_plural = "修订建议"
        ordering = ["id"]
        indexes = [models.Index(fields=["draft", "state"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{(self.text or self.anchor)[:30]}"

    @property
    def is_split(self) -> bool:
        """The leader pressed Enter here: a line break inserted, one paragraph made two."""
        return self.kind == self.Kind.INSERT and self.text == "\n"


class DraftShare(models.Model):
    """A member of the draft's unit the owner shared it with: 协作起草 (may edit) or 审阅 (may
    read and comment, never change the text)."""

    class Role(models.TextChoices):
        EDIT = "edit", "协作起草"
        REVIEW = "review", "审阅"

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="shares", verbose_name="讲话稿"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="draft_shares",
        verbose_name="共享给",
    )
    role = models.CharField("权限", max_length=10, choices=Role.choices)
    created_at = models.DateTimeField("共享时间", auto_now_add=True)

    class Meta:
        verbose_name = "讲话稿共享"
        verbose_name_plural = "讲话稿共享"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "user"], name="draft_share_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.draft} → {self.user}（{self.get_role_display()}）"


class FlowStep(models.Model):
    """One step of a draft's 送审 → 审核 → 定稿, with who, to whom, the version it concerns
    (a named version) and the note said with it (退回意见)."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "送审"
        WITHDRAW = "withdraw", "撤回"
        RETURN = "return", "退回修改"
        APPROVE = "approve", "审核通过"
        FINALIZE = "finalize", "定稿"

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="flow_steps", verbose_name="讲话稿"
    )
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="操作人",
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="交给",
    )
    version = models.PositiveIntegerField("版本")
    note = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "流转记录"
        verbose_name_plural = "流转记录"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.draft} {self.get_action_display()}"


class Comment(OnWords):
    """批注: a reader's remark on words of one item (OnWords: found again through edits as a
    Proposal is), or an answer to one (`parent`)."""

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="comments", verbose_name="讲话稿"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name="回复的批注",
    )
    text = models.TextField("批注内容")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="批注人",
    )
    # A comment from an imported Word file: its author's name as the file gives it.
    author_name = models.CharField("批注人姓名", max_length=100, blank=True)
    version = models.PositiveIntegerField("批注时的版本", default=0)
    created_at = models.DateTimeField("批注时间", auto_now_add=True)
    resolved_at = models.DateTimeField("解决时间", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="解决人",
    )

    class Meta:
        verbose_name = "批注"
        verbose_name_plural = "批注"
        ordering = ["id"]
        indexes = [models.Index(fields=["draft", "resolved_at"])]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def author_label(self) -> str:
        """Who wrote it: the member (姓名), else the name a Word file gave, else 未署名."""
        return person_name(self.author) or self.author_name or "未署名"
