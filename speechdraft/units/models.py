"""单位: who sees which material. Everything a unit writes or curates carries its `unit`;
a superuser may mark material 共享, and then every unit sees it (speechdraft.units.access)."""

from django.conf import settings
from django.db import models

DEFAULT_UNIT_NAME = "默认单位"


class Unit(models.Model):
    """A unit (单位, e.g. 县政府办公室), the boundary of what its members see.

    A 科室 inside a unit is a Unit whose `parent` is that unit. Its members see the 科室's
    material, the units' above it and 共享 material; the office does not see into its 科室,
    nor one 科室 into another. A 科室's drafts are worked on with the office's people and
    signed by its 签发人 (units.access, drafts.access). Exactly one unit is the default:
    today's data went there (migration units 0002), and accounts and material made without a
    unit land there.
    """

    name = models.CharField("名称", max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级单位",
        help_text="科室填写所属单位；单位本身留空。",
    )
    is_default = models.BooleanField("默认单位", default=False, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="unit_one_default",
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class Membership(models.Model):
    """A user's unit: one per user (a 科员 of a 科室 is a member of the 科室's Unit)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name="用户",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name="单位"
    )
    # The unit's 签发人 (e.g. the 办公室主任): marks a reviewed draft 定稿 (drafts.flow).
    is_signer = models.BooleanField(
        "签发人", default=False, help_text="可将审核通过的讲话稿确认为定稿。"
    )

    class Meta:
        verbose_name = "单位成员"
        verbose_name_plural = "单位成员"

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit}"


def default_unit_id() -> int:
    """The default unit's id (made when missing): the default of every `unit` field, so a row
    written without a unit lands in the default unit, never in none."""
    unit, _ = Unit.objects.get_or_create(is_default=True, defaults={"name": DEFAULT_UNIT_NAME})
    return unit.pk


def unit_field(**kwargs) -> models.ForeignKey:
    """The `unit` foreign key every unit-owned model carries."""
    return models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        default=default_unit_id,
        related_name="+",
        verbose_name="单位",
        **kwargs,
    )


def shared_field() -> models.BooleanField:
    return models.BooleanField(
        "共享", default=False, help_text="共享的素材所有单位都能看到（仅超级管理员可设置）。"
    )
