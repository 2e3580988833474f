"""Word lists of the checks: genre terms that may recur, 套话 (four-character set phrases and
adverb + verb), longer slogan fragments, and jieba's idioms read from its dictionary."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from .chars import CJK

# Terms of the genre that may recur any number of times: repeating them is not a style slip.
DEFAULT_PHRASE_IGNORE: frozenset[str] = frozenset(
    """
    习近平新时代中国特色社会主义思想 习近平总书记 中国特色社会主义 高质量发展 中国式现代化
    全面从严治党 全面深化改革 全面依法治国 全面建成小康社会 全面建设小康社会
    全面建设社会主义现代化国家 全面推进乡村振兴 可持续发展 积极分子 以人民为中心
    全心全意为人民服务 不忘初心 牢记使命 解放思想 实事求是 改革开放 党中央 经济社会
    人民群众 党员干部 领导干部 领导班子 乡村振兴 营商环境 意识形态 生态文明 共同富裕
    两个确立 两个维护 四个意识 四个自信 新发展理念 新发展格局 总体国家安全观
    社会主义核心价值观 主题教育 党史学习教育 与此同时 总而言之
    """.split()
)

# Four-character 套话 common in speeches that jieba's dictionary does not tag as idioms.
SLOGAN_PHRASES: frozenset[str] = frozenset(
    """
    凝心聚力 担当作为 真抓实干 久久为功 驰而不息 踔厉奋发 勇毅前行 守正创新 笃行不怠
    履职尽责 落地见效 提质增效 走深走实 善作善成 奋勇争先 争先创优 比学赶超 只争朝夕
    埋头苦干 攻坚克难 砥砺前行 锐意进取 开拓创新 干事创业 敢于担当 勇于担当 狠抓落实
    压实责任 守土有责 守土负责 守土尽责 凝聚合力 统筹推进 精准施策 一以贯之 一抓到底
    常抓不懈 持之以恒 抓铁有痕 踏石留印 全力以赴 齐心协力 同向发力 握指成拳 乘势而上
    顺势而为 奋发有为 迎难而上 勇挑重担 主动作为 担当尽责 实干担当 求真务实 务求实效
    落到实处 抓出成效 见行见效 落细落实 出新出彩 提档升级 提速增效 再上台阶 争先进位
    赶超跨越 跨越发展 转型升级 补齐短板 强化弱项 固本培元 凝心铸魂 开创新局 开拓进取
    团结奋斗 团结一心 众志成城 共建共享 共治共享 上下同心 同心同德 不负韶华 再鼓干劲
    一鼓作气 决战决胜 奋勇前进 昂扬向上 强基固本 守正出新 走在前列 勇立潮头 奋楫争先
    争当表率 争做示范 当好先锋 作出表率 率先垂范 以上率下 以身作则 示范引领 统筹兼顾
    协调推进 整体推进 系统推进 真抓实干 埋头苦干 实干笃行 务实重行 善作善为 敢作敢为
    敢闯敢试 敢为人先 爬坡过坎 滚石上山 负重前行 逢山开路 遇水架桥 咬定目标 咬定青山
    鼓足干劲 铆足干劲 攻坚突破 奋力冲刺 决胜全年 开局起步 勇争一流
    争创一流 追赶超越 后发赶超 弯道超车 换道超车 聚力攻坚 合力攻坚 齐抓共管 上下联动
    同频共振 同题共答 统一思想 凝聚共识 提振信心 坚定信心 振奋精神 鼓舞士气 激发活力
    增强动力 厚植优势 激活动能 释放活力 蓄势赋能 赋能增效 提能升级 提标扩面
    与时俱进 常抓不懈 守土有责 一抓到底 不思进取 开拓创新 求真务实 真心实意 扎扎实实
    实实在在 认认真真 兢兢业业 一心一意 全心全意 尽心尽力 尽职尽责 恪尽职守 忠诚干净
    敢于斗争 善于斗争 担当有为 克难攻坚 比学赶帮 你追我赶 争分夺秒 马不停蹄 加压奋进
    """.split()
)

# 套话 built as adverb + verb: 扎实推进, 切实加强, 全面提升, 不断增强 …
SLOGAN_ADVERBS: frozenset[str] = frozenset(
    """
    扎实 切实 全面 深入 大力 不断 持续 着力 积极 努力 坚决 认真 有效 稳步 全力 奋力
    始终 牢牢 充分 主动 广泛 严格 更加 务必 真正 自觉 统筹 协同 精准 高效 有序 加快
    加速 加大 加紧 全速 全面 坚定 纵深 深度 系统 整体 持久 长效 常态
    """.split()
)

# Longer slogan fragments that carry no concrete content (used for 空话 density only).
SLOGAN_FRAGMENTS: tuple[str, ...] = tuple(
    sorted(
        """
        习近平新时代中国特色社会主义思想 习近平总书记 重要讲话精神 重要指示批示精神 重要论述
        决策部署 党中央 省委省政府 市委市政府 县委县政府 区委区政府 省委 市委 县委 区委
        高质量发展 新篇章 新征程 新局面 新贡献 新的更大贡献 新的更大成绩 新成效 新突破
        新气象 新作为 新担当 新境界 新高度 新台阶 新优势 新动能 新活力 坚强保障 有力保障
        坚强政治保证 有力支撑 以人民为中心 中国式现代化 中国特色社会主义 两个确立 两个维护
        四个意识 四个自信 政治判断力 政治领悟力 政治执行力 贯彻落实 落到实处 见到实效
        取得实效 精气神 责任感 使命感 紧迫感 危机感 荣誉感 获得感 幸福感 安全感 主心骨
        排头兵 奋力谱写 不断开创 开创新局面 展现新作为 作出新贡献 各项工作 各项任务 工作要求
        同志们 我们要 大家要 一定要 必须 坚持 推动 推进 加强 提升 强化 深化 确保 努力
        进一步 上下 全力 各级 各部门 各单位 广大干部 干部群众 党员干部 领导干部
        政治站位 重要性 紧迫性 必要性 思想认识 提高认识 统一思想 高度重视 经济社会发展
        稳中求进 总基调 新发展理念 新发展格局 时不我待 撸起袖子加油干 一张蓝图绘到底
        实际行动 优异成绩 胜利召开 钉钉子精神 问题导向 目标导向 结果导向 系统观念 底线思维
        全市上下 全区上下 全县上下 全省上下 目标任务 各项工作 工作合力 强大合力 良好氛围
        浓厚氛围 思想和行动 行动自觉 思想自觉 政治责任 政治任务 重中之重 头等大事
        """.split(),
        key=len,
        reverse=True,
    )
)


_idiom_lock = threading.Lock()
_jieba_idioms: frozenset[str] | None = None
_IDIOM_LINE = re.compile(f"^([{CJK}]{{4}}) \\d+ i\\s*$", re.M)


def jieba_idioms() -> frozenset[str]:
    """Four-character idioms (成语, tag ``i``) of jieba's dictionary, about 22,000.

    Tag ``l`` (习用语) is not used: it mixes set phrases with plain nouns (有线电视, 意见建议).

    Read once per process straight from jieba's ``dict.txt`` (~60 ms); no segmentation and no
    posseg. Empty when jieba is not installed.
    """
    global _jieba_idioms
    if _jieba_idioms is not None:
        return _jieba_idioms
    with _idiom_lock:
        if _jieba_idioms is None:
            try:
                import os

                import jieba

                path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
                with open(path, encoding="utf-8") as fh:
                    _jieba_idioms = frozenset(_IDIOM_LINE.findall(fh.read()))
            except (ImportError, OSError):
                _jieba_idioms = frozenset()
    return _jieba_idioms


def phrase_lexicon(use_jieba_idioms: bool) -> frozenset[str]:
    """The four-character phrases the checks count as set phrases: 套话, and jieba's idioms
    unless ``use_jieba_idioms`` is off (ReviewSettings.use_jieba_idioms)."""
    if use_jieba_idioms:
        return _merged_lexicon(jieba_idioms())
    return SLOGAN_PHRASES


@lru_cache(maxsize=2)
def _merged_lexicon(idioms: frozenset[str]) -> frozenset[str]:
    return idioms | SLOGAN_PHRASES


def is_slogan_window(window: str, lexicon: frozenset[str]) -> bool:
    return window in lexicon or window[:2] in SLOGAN_ADVERBS
