"""The 提法 and 用字 rules: :class:`Formulation`, and the standing list
:data:`DEFAULT_FORMULATIONS` (well-known 错别字, and 提法 whose change is documented)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal


@dataclass(frozen=True, slots=True)
class Formulation:
    """A wrong or outdated wording and its replacement (``right`` may be "" when there is none).

    A dated 提法 (``superseded_on`` set) is wrong only for text meant for a date after
    ``superseded_on``; ``valid_from``, when known, is when the wording came into use. ``note``
    is what the drafter reads: for a dated one, why (十八大已于2012年11月召开).
    See :mod:`.freshness`.
    """

    wrong: str
    right: str
    note: str = ""
    kind: Literal["outdated", "typo"] = "typo"
    valid_from: date | None = None
    superseded_on: date | None = None


def _typos(pairs: str, note: str = "") -> list[Formulation]:
    out = []
    for pair in pairs.split():
        wrong, right = pair.split("→")
        out.append(Formulation(wrong, right, note, "typo"))
    return out


_REFORM_2018 = "2018年党和国家机构改革后已更名或整合，请按本地现行机构名称核对"
# 十三届全国人大一次会议 approved the 国务院机构改革方案 on 2018-03-17; the local reforms of
# cities and counties were to be completed by the end of March 2019.
_STATE_2018 = date(2018, 3, 17)
_LOCAL_2018 = date(2019, 3, 31)
# 国家卫生健康委员会 renamed 新型冠状病毒肺炎 to 新型冠状病毒感染 on 2022-12-26.
_COVID_RENAMED = date(2022, 12, 26)

# A conservative starting list: well-known 错别字 of official writing, and 提法 whose change is
# documented. Curators extend it as data; every entry must never match correct text.
DEFAULT_FORMULATIONS: tuple[Formulation, ...] = (
    *_typos(
        """
        心无旁鹜→心无旁骛 心无旁鸯→心无旁骛 好高鹜远→好高骛远 按步就班→按部就班 再接再励→再接再厉
        谈笑风声→谈笑风生 一股作气→一鼓作气 变本加利→变本加厉 走头无路→走投无路
        默守成规→墨守成规 迫不急待→迫不及待 不径而走→不胫而走 一愁莫展→一筹莫展
        别出新裁→别出心裁 明辩是非→明辨是非 委屈求全→委曲求全 记忆尤新→记忆犹新
        一如继往→一如既往 既往开来→继往开来 再所不辞→在所不辞 相辅相承→相辅相成
        言简意骇→言简意赅 精兵减政→精兵简政 功亏一溃→功亏一篑 披星带月→披星戴月
        歪风斜气→歪风邪气 励精图志→励精图治 针贬时弊→针砭时弊 迫在眉捷→迫在眉睫
        涣然一新→焕然一新 直接了当→直截了当 出谋化策→出谋划策 因地治宜→因地制宜
        以身做则→以身作则 关怀倍至→关怀备至 重蹈复辙→重蹈覆辙 励行节约→厉行节约
        坚苦奋斗→艰苦奋斗 融汇贯通→融会贯通 陈词烂调→陈词滥调 义无返顾→义无反顾
        中流抵柱→中流砥柱 如火如茶→如火如荼 推委扯皮→推诿扯皮 布署→部署 松驰→松弛
        """
    ),
    Formulation("千罗万象", "包罗万象", "或作“森罗万象”，视语境选用", "typo"),
    Formulation("一带一路战略", "一带一路倡议", "规范表述为“一带一路”倡议，不称“战略”", "outdated"),
    Formulation(
        "“一带一路”战略", "“一带一路”倡议", "规范表述为“一带一路”倡议，不称“战略”", "outdated"
    ),
    Formulation("供给侧改革", "供给侧结构性改革", "规范表述，不宜简称", "outdated"),
    Formulation(
        "新型冠状病毒肺炎",
        "新型冠状病毒感染",
        "2022年12月起更名为“新型冠状病毒感染”；回顾当时工作的表述请按最新文件核对",
        "outdated",
        superseded_on=_COVID_RENAMED,
    ),
    Formulation(
        "新冠肺炎",
        "新冠病毒感染",
        "2022年12月起更名为“新型冠状病毒感染”；回顾当时工作的表述请按最新文件核对",
        "outdated",
        superseded_on=_COVID_RENAMED,
    ),
    Formulation(
        "有中国特色社会主义", "中国特色社会主义", "早期表述，现统一为“中国特色社会主义”", "outdated"
    ),
    Formulation(
        "全面建设小康社会",
        "全面建设社会主义现代化国家",
        "全面建成小康社会后，现阶段的表述为“全面建设社会主义现代化国家”；"
        "回顾历史时可保留，请按最新文件核对",
        "outdated",
    ),
    Formulation("国土资源局", "自然资源局", _REFORM_2018, "outdated", None, _LOCAL_2018),
    Formulation("环境保护部", "生态环境部", _REFORM_2018, "outdated", None, _STATE_2018),
    Formulation("环保局", "生态环境局", _REFORM_2018, "outdated", None, _LOCAL_2018),
    Formulation("卫计委", "卫健委", _REFORM_2018, "outdated", None, _LOCAL_2018),
    Formulation("安监局", "应急管理局", _REFORM_2018, "outdated", None, _LOCAL_2018),
    Formulation(
        "国家工商行政管理总局", "国家市场监督管理总局", _REFORM_2018, "outdated", None, _STATE_2018
    ),
)
