"""Turn uploaded bytes into text.

Supported: plain text in UTF-8 (with or without BOM), UTF-16 (with BOM, or clearly UTF-16
without one), GB18030/GBK/GB2312 and Big5; ``.docx`` (python-docx: paragraphs and table
cells in document order); HTML (stdlib ``html.parser``; script/style dropped, block elements
become line breaks). The format is detected from the bytes, never from the file name alone:
candidates are decoded strictly and the legacy Chinese encodings are scored by the share of
common Chinese characters in the result (GBK text that happens to decode as Big5 scores
low there, and vice versa).

Every failure raises :class:`~speechdraft.text.errors.IngestError` with a Chinese message
naming the file.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from .errors import IngestError, UnsafeFileError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# The 3,000 most frequent characters of jieba's dictionary (weighted by word frequency).
# Their traditional forms are added at first use (OpenCC s2t), so the set scores GBK
# and Big5 decodings of both scripts.
_COMMON_SIMPLIFIED = (
    "一是人了不在有大中国和为这上他个地年来我会以到时要出的生学说道民家子也成行下们于后就发自之对"
    "得主长可过天作分方用多你着部能市等业全里工公经本都而高政法面门动日进区事代那去心小同北定开产"
    "前其军还然起种所如现理机体表力好外与文当两实重新三么只山水关明从化平建又制南内西没此将员名手"
    "最东头者月间无安看见各城十相但已些正口通想度加第她合院物性战由位常点海意场武使次二向治因立数"
    "样身情入原问把路被并利石老教万知级量任江及应省资委务元美特期世湖回系比气汉总展电科金先声提品"
    "设或义王社很统处四首共马形己儿司太目基领队直计别女权话少流命至报米给打变果书清活几州华解议更"
    "称程今决张导术府才保交放管结师便走达族反再题色五京河接条规式县白它改风光运信受什组听布百济党"
    "指论强做取技黄神选记斯真却职号界件花类何眼兵传带空干农边据集联古广完质阳难增历史专官每住商即"
    "步认车台林必死游举线言皇土团收考求德叫近备研争非具李众连调感转笑革该持始英克士尔让拉思根格造"
    "较际亲单朝红型价校约器字段周亚深候则功属积快图火千准究往极育装许参半令吃观鱼精办像帝八复影告"
    "远群包整构料随划算象容示投势热值夫网望源息语股铁断派速怎需片爱律纪支早况病境证编越局推满且列"
    "觉服双未居除乐企引标确织初青志率项飞球节察龙响药站施均消客失轻存低甚般击曾防请离落显罗营足素"
    "视护副食创余照兴占巴虽洲村费易试星木黑左宝置跟央识维采六底宫房音环案批切斗富乡另倒若按查故突"
    "责严桥模仅胜杀围席态破承招杨负层须父供续状域似依银范修找九致密终血旅钱赛独细效玉冲获习医演毛"
    "尽脸弹楼艺航陆右协七攻镇检写苏宗章注阿抗弟坐验封紧劳户优财养适陈喜卫排射哥油刻留急降念云微伤"
    "例景拿绝阶座刘刚害印亿沙母酒助闻超审待压升送监策略限竟香配藏敌呢差仍兰温园树征善波哪词岛止预"
    "怕继皮执味份角草男普答益谁船惊核街夏宣掌田久著画辑奇尼剑吧谈背免孩礼材愿洋春架筑括晚乱乎讲尚"
    "良友临激刀夜室既敢邦挥昌板胡欧福港叶简苦担句岁荆贵娘守辖威宜衣帮块堂额错剧充欢够孙班呼阵销坚"
    "练脚退读测吴希宁换版异某顾曲楚典朱毒菜判救宋茶洪含顺啊鲜败货矿端兄归冷忙买险康评肉吗厂永哈沉"
    "散遗停笔假输牛洞松渐顶训录否述毕督控丰献姑忽爷互亮纳襄登咱钟伯臣雄季脑介鄂召饭暗扩祖齐短烈赶"
    "牌恩诉移诗础露届蒙静喝盘卖植授伊湾博痛减穿逐秘庭陵固禁票灵杂姓泽吸侧庆妈遇追甲馆补唐炮沿殿刺"
    "怪彩俄旧警索岸轮妇载靠附毫怀软骨探雷旁罪枪牙迎序慢盛雨墙恶谷顿危稳熟概酸操诸绿佛荣针托宽折野"
    "付午肯库厚缺罢耳屋嘴末谢巨培页瓦款犯困店智拥雪翻圣戏旗吉婚奖岩疑币圆歌廷健卡烧析讨跑烟误仙疗"
    "舞亡闭汽伸脱秋姐繁侵川莫麻秀借寻私岗卷跳丽横驻套兼您君丁束纸夺袁灯坏坦丝径购阴床瞧择墓宪峰遍"
    "鲁庙掉丹桃御舰避售怒课播拔奥延虚隐粮络遭摇潜庄混厅婆奴鼓赵访睡震予童徐韦殖抓拜吨扬址洛休纵逃"
    "染纷贸透汇灭蛋森仪塔距狐融郡缓聚盖拍迹忠释润粉涓孔岭搜紫虑促抵钢塞寺津液码虎坛珍硬梁奔累役偏"
    "迫锛凡损壁哭替税综伦冰盟挂韩竞乌尤弱铺妹秦尊竹珠迅脉泥鬼纯睛刑途隆潮幅杯握谋剂幸奉乘抱朋谓频"
    "崇壮骑紝恐享鸡虫绍铜呈泛械摆欲奶敬措爆暴签猛郭嘉障缩亦废搞胞埃曰撤暖寒订俗绩阻盐萨勒忘奏孝贴"
    "灰梅触玩默醒胸莲篇柱裁啦淡抢捕闹纺截讯朗誉雅忍梦伙勇峡徒丈尾迷唱泉泰佳残闪伍呀疾署剩贼冠倾豆"
    "申贫诺麦泪羊尖辈镜涉贡爹缘摩妻殊贝零映甘骂糖岳饮奋棉雕跃汗冒渡努赞启阁斤裂患伏池鹿洗劲晋倍圈"
    "媒箭沟锋胆凭挑抬闯隔弄曹汤苗迁叹唯振储贯彻桌祭符僧衡炸旋喊凤黎郎援肥磁忌赏辽祥董仁辛瑞询敏浪"
    "貌毁昨巧腿抽荷陷焦净腹弃乃湘亩滑狗冬宏皆番尸伟桂览恢龄绕趣晶坡魏摸伴墨浓绪舍蓝荡阅井鸿旦惯症"
    "鸟窗扎辞聘穷堰宇键荒递恨隶厉杜闲腰袭侍灾涨叔湿寨幕豪郑磨浮薄券赤腐译租氧戴邓煤肠牧孤诏妙旨堡"
    "册锅胖柳阔吹丘趋锦颜悬陶拳诚尺晓插蒋艇勤穴摄燕垂罚辆戒稀腾粗袋绘炎氏肩枝狂泊估杭扑臂哲寡偷懂"
    "琴悲盾炒稍矛愈籍颁吐呆违亭眉撞贷刊巡屈堆曼饰碎滚悉寄浜迟描污辅魔烦鼻盗餐幼凉仗冈澳驾銆菌肚肃"
    "爸仰抚慈扶盆仿炼纲倘碗杰忧惜扫暂祝跨渔宾漫寿猪涌凝邻赴恰劝仇践顷赋悄莱拟贤愤姆乏轰粒逼傅陕昆"
    "溶葬燃魂挺腊耐犹辉乳陪颇斜棋殑熊浅沈姊返翼丧拖惨俊驱袖惠涂添牵咸详碰割侯纤柔档糊岂跪拒覆绣吓"
    "宿偶揭赖烤卢娃颗邮扇伐循衰弦凯羽枚帅锁疏搭俱帐胶赫鐨埋蒸壳剉彼脏箱浙弯瓜挡拱筹疆肿膜刷杆凶债"
    "甜泡玄贾谱夹乾遣薪灌咬尘填廊钻丛狼牢脊熙卒碑漠躲削徽踏贺朵遵狠菲撒扰蛇锡炉纹匹亏鉴慕跌慌穆邀"
    "芳爬豫吾奸棒淮捷耕艘齿醉脂兽滴盈卵滋柴溪妃浠碍瓶辩遂怨拨肌俘挖恒励鸣肝腔偿秒拦允塑拆靖耗凌披"
    "胁吏纽烂尝垸辟耶艰佩敦疼荐厘匠柏悠壤拾乔轴妖喷掩璃孟轨歇猜晨坊桑堤畅瞎氨辨鞋昏恭畜浩迪雾丢咨"
    "擦窝洁飘捉搬奈肤愁砖辣幽嘛赢藕挤舒狮耀诊扣篮尿唤梯勾霍舌侠筋枢屏衙殷栏纠链恋惧笼寸冶弥晃叙吊"
    "哩稿娜剥拼欺榜囊汪逆骗堪猎棺胎俩郊掘匆缝乙藻携慧函辱扯嫩癌悟滩祸秉慰驰狱砍糕漏吞纬茅渠催踪叛"
    "浑牲杖鞭腺邪欣汝碳彭咐椒绳颈漆遥夷郁斑忆阀卑宴抑逻嫁扭胃仔恼贪兆庸屽僭疯侦鹰驶斩鹤猴蜂瘦赐闷"
    "柄椅轿拓扮砂傻粘辐啥鏄伪抛玻昂圳侨吟刃饱吕玛碱冯仓钦哼庞儒叉泄臭艾蓉鼠祯捧舱坝芙瘤勃敲帽吻契"
    "舟夸葡剪抖霸艳宸聪仆躺瑶谦炭卧袍猫珊溜漂衔苍坑串浆碧巷咽铸押惩迈锐颤疲滨履盒宅喀饿缠翁幻逢扁"
    "旱罕怜姻蓄磷惟槸帕掠稻劫撑姿肾胀慎哨摔谨鹅丑塘肺镑趁蜀兑哦贞禧葛仲惑蔡踢妥筒诞禀朴祀饼萄狭澶"
    "杩赔绵诱卜陀呵抹疫辰顽蓬摊倡浦账矩翠煌茂畏劣氛廉鸭瓷戈秩弗悔尉挣拐鼎芦睁脾聊株枯纱幺冻唇茫哀"
    "芬轩蛮醇棍晕嫂宙酷郧欠稷鹏孕槽栖吩姚昭罐叠墩盼舆芒酬斥捐斋簡眠脆萧璋皱卿蚀淋卓翰钉棣丫宰阐翅"
    "沃挨霖哄爵涔衫逊铭戚旺硕擅嫌赌隋肖饶沪雇罩煎丐掷誓摘竴冤坤屁竭屾宛菱厌矮潭渊俺崖氢棚喇涵裕溃"
    "堵媳抄鍙怔蒂肢瑜泌甫檐鏈寂颠撰逝霜羞铅佐帖硫蹈鍦瞬痕爽挽禅娶柯屯韵婴悦肴螺凑兹烛歼毅杉慨钧渗"
    "蜜遮窑谐厦柜匈喉愧栽扔苯谊肆霞吵屼笉夕壶赚尹窄弓谭盲勋饲窟俞嗣煮巾裤膨奠瞪珞愚膏喘姜膀蔬糟僚"
    "匾妄畴喂沔耻牺旭妨硅崩雌陛卸砸贩竖佸攀晒伞惹裹屠汁擒鳞佣渴浣叩龟雀掀唉泼亥僵屡瞒哊璇厮刮钩桐"
    "谅隙丞盯霉侄逸浸爪阙坟咳宠脖彪朕虹衍甸鳍讼虾芝涛巩熔峻怖嘿磕洒掏枣滞鈥舅昔哑焕娱芯衷捞卦旬矣"
    "茨蜡喻挪婶琉枕娇豹厨傲腕巢氯燥焚乖嘱禄赠晌鍚琦铃雁姨蹄焰虏鍒粑饥潘兀捏缔歪蕴鸦嘻俯锻骤庵吁剿"
    "禽勉膝捣茎晴厢匀灏涯梨蒲驼匪撕嗯樊搏缚垄寓愣斌麋劈旷舵薛沸丸泳绸炬缴寰贱躯褐酶嚷拌颂帜陡鍏募"
    "佑皖鎴绑啡仑麓鏉帘镖钠刹妆禾藤弊痴哇凰歧驴铝闸喃滥耍桶酱惶躬熬娥剅啸淘裙骚亨勘窃挫凿塌咖垫芽"
    "凸钙框哟翔逮舶锥怡魄灶浴蔽橡懒硝晰盏赦庐谕鄙拂菩栗琳沼圭屿砌倚棵瑰羲酿诈锌杏婉沦卤躁斧淳兔凛"
    "哎阮淫剖蕲烹姥咕蚕兜璧搅帆暇趟裸購粹吼哗冀呜瞻搁乞骇炕垮拘岃嵌笛鹃菊淀肪鞍愉犬弧蹲椎阎浏诵烘"
    "榴腥裘萝颊蟹灿摧棱琼骄凄怯淑梢丙暮媚钊沫糯驳崔谏炳畔缅襟锤觅鍑拢胪诀奢苹叮榨瀹沾傚渝枉辜髓坠"
    "瑟棕萍贿泣嫣峨憾胺甩陂寇烯钓瞅沧坪暑耸垒傍睹垜薯溢鏃谜咋缁嗓贬窜戟葱屑湁胚犁莎囚颖诡腻藩彦勫"
    "巍痒蹇芷赣湪沐膊婢粤喧逛贮恍菇諲邢绮厥澄邵耽讽衬恕烫毯仕昼闽拚勿繖桓钾膛歉膳詹坎敛碌狄沽侮垱"
    "寝妾嗽埔眷揪牡毙荫涡鍐桩锣釜瀛缮梳揽咀雍铲倦岱厄弘淤尴玲鎵祠恳粥衢戳秃瀑搂迭垃缸郝挠莽瑙瞄粟"
    "跋呐歹豚驿圾胳魁诧绒鞑谎尬陌粬讳蝶咒裔凳梭涅杈泻苇焉娟迦巫扒翊敷谣隅撇凹蚁氮苑妓綘潇禹朽寮郢"
    "伽粪诛醋栋谴隧簇踩礁庶衮笅堕噪嘲濂鲟彝柬斐沛卞篷祁耿嚼宦溯黔浇敞绞瓣傛窦蕃嶅汰鲍遏魅槐鞘钞徙"
    "讶碟琐琢滤嗤鐪蠢锰嵋"
)
_common: dict[str, float] | None = None

_CJK_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HTML_HINT_RE = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|meta|div|p|br|span|table|script|style|title)\b",
    re.IGNORECASE,
)
_HTML_TAG_RE = re.compile(r"</?\s*[a-zA-Z][a-zA-Z0-9]*[^<>]*>")
_META_CHARSET_RE = re.compile(rb"charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)


@dataclass
class Decoded:
    text: str
    encoding: str  # utf-8, utf-8-sig, utf-16, gb18030, big5, docx, html


def _common_chars() -> dict[str, float]:
    """Common characters (both scripts) → weight from 1.0 (most frequent) down to 0.3."""
    global _common
    if _common is None:
        weights: dict[str, float] = {}
        n = len(_COMMON_SIMPLIFIED)
        try:
            import opencc

            s2t = opencc.OpenCC("s2t")
        except Exception:  # pragma: no cover - opencc is a hard dependency
            s2t = None
        for i, ch in enumerate(_COMMON_SIMPLIFIED):
            w = 1.0 - 0.7 * i / n
            weights.setdefault(ch, w)
            if s2t is not None:
                for tch in s2t.convert(ch):
                    weights.setdefault(tch, w)
        _common = weights
    return _common


def _is_plain_punct(ch: str) -> bool:
    o = ord(ch)
    return (
        0x3000 <= o <= 0x303F  # CJK punctuation
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x2010 <= o <= 0x206F  # general punctuation: “”‘’…—
        or ch in "·×\u00a0"
    )


def _score(text: str) -> float:
    """How much ``text`` looks like real Chinese: the share of common Chinese characters
    among its non-ASCII characters (kana, Hangul, Cyrillic, box drawing… count as misses),
    penalised by control, private-use and replacement characters."""
    common = _common_chars()
    hits = 0.0
    total = 0
    bad = 0
    for ch in text:
        if ch < "\x80":
            if ch < " " and ch not in "\r\n\t\f":
                bad += 1
            continue
        if _is_plain_punct(ch):
            continue
        if ("\ue000" <= ch <= "\uf8ff") or ch == "\ufffd":
            bad += 1
            continue
        total += 1
        hits += common.get(ch, 0.0)
    if total == 0:
        return 0.0
    return (hits - 2 * bad) / (total + bad)


def _err(filename: str, reason: str) -> IngestError:
    return IngestError(f"文件“{filename}”{reason}", filename)


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or (13 < b < 32 and b != 27))


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(8, len(sample) // 100)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    for enc, nuls in (("utf-16-le", odd_nul), ("utf-16-be", even_nul)):
        if nuls >= half * 0.3:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return enc
    return None


def _decode_text_bytes(data: bytes, filename: str) -> Decoded:
    decoded = _decode_with_bom(data, filename)
    if decoded is not None:
        return decoded
    if b"\x00" in data[:65536]:
        return _decode_with_nul_bytes(data, filename)
    if _looks_binary(data):
        raise _err(filename, "不是文本文件（包含大量控制字符），无法识别讲话内容")
    decoded = _decode_utf8(data)
    if decoded is not None:
        return decoded
    return _decode_legacy(data, filename)


def _decode_with_bom(data: bytes, filename: str) -> Decoded | None:
    """The text of data that opens with a UTF-8 or UTF-16 byte order mark; None without one."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return Decoded(data[3:].decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _err(filename, "以 UTF-8 BOM 开头，但内容不是有效的 UTF-8 编码") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise _err(filename, "以 UTF-16 BOM 开头，但内容无法按 UTF-16 解码") from exc
    return None


def _decode_with_nul_bytes(data: bytes, filename: str) -> Decoded:
    """Data with NUL bytes near its start: UTF-16 without a byte order mark, or binary."""
    enc = _utf16_without_bom(data)
    if enc:
        return Decoded(data.decode(enc), "utf-16")
    guess = _best_legacy(data, ("utf-16-le", "utf-16-be"))
    if guess is not None and guess[0] >= 0.6:
        return Decoded(guess[2], "utf-16")
    raise _err(filename, "不是文本文件（包含二进制数据），无法识别讲话内容")


def _decode_utf8(data: bytes) -> Decoded | None:
    """The text of valid UTF-8 data (unless a legacy encoding reads far better); else None."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # A few GBK/Big5 characters can form valid UTF-8 by chance (全同 → ȫͬ): when UTF-8
    # gives no Chinese at all but a legacy encoding reads as good Chinese, prefer that.
    if text.isascii() or _CJK_RE.search(text):
        return Decoded(text, "utf-8")
    legacy = _best_legacy(data, _legacy_order(data))
    if legacy is not None and legacy[0] >= 0.5:
        return Decoded(legacy[2], legacy[1])
    return Decoded(text, "utf-8")


def _decode_legacy(data: bytes, filename: str) -> Decoded:
    """The text of data in GB18030/GBK or Big5 (or UTF-16 without ASCII), whichever reads best."""
    order = _legacy_order(data)
    if len(data) % 2 == 0:
        order = [*order, "utf-16-le", "utf-16-be"]  # UTF-16 without BOM and without ASCII
    best = _best_legacy(data, order)
    if best is None:
        raise _err(filename, "的编码无法识别（不是 UTF-8、UTF-16、GB18030/GBK 或 Big5 文本）")
    score, name, text = best
    if score < 0.25:
        raise _err(filename, "的编码无法识别：按 GB18030/GBK、Big5 解码后都不是正常的中文文本")
    return Decoded(text, name)


_ENCODING_NAMES = {
    "cp950": "big5",
    "big5hkscs": "big5",
    "utf-16-le": "utf-16",
    "utf-16-be": "utf-16",
}


def _best_legacy(data: bytes, encodings: Iterable[str]) -> tuple[float, str, str] | None:
    """Strictly decode with each encoding; the best (score, name, text), earlier wins ties."""
    best: tuple[float, int, str, str] | None = None
    for order, enc in enumerate(encodings):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        cand = (_score(text), -order, _ENCODING_NAMES.get(enc, enc), text)
        if best is None or cand[:2] > best[:2]:
            best = cand
    if best is None:
        return None
    return best[0], best[2], best[3]


def _legacy_order(data: bytes) -> list[str]:
    """Candidate legacy encodings; an HTML/XML charset declaration goes first."""
    order = ["gb18030", "big5", "cp950", "big5hkscs"]
    m = _META_CHARSET_RE.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii", "ignore").lower()
        if declared.startswith("big5") or declared == "cp950":
            order = ["big5", "cp950", "big5hkscs", "gb18030"]
    return order


# ---------------------------------------------------------------- HTML


class _TextExtractor(HTMLParser):
    BLOCK = frozenset(
        "address article aside blockquote br dd div dl dt fieldset figcaption figure footer "
        "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot "
        "tr td th ul title option".split()
    )
    SKIP = frozenset("script style noscript template svg head iframe object".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.in_title = False
        self._title: list[str] = []  # pieces: a <title> never closed takes the whole page

    @property
    def title(self) -> str:
        return "".join(self._title)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in self.SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    # At the end of the input, a tag, comment or declaration that is never closed runs to the
    # end of the document, as in browsers (and in Python ≥ 3.13.4). Python 3.11 instead shows
    # it as text up to the next ">" and parses on from there, so each such "<" has the rest of
    # the document scanned again: quadratic time on "<a b='" or "<!--" repeated.
    _at_end = False

    def close(self) -> None:
        self._at_end = True
        super().close()

    def _to_end(self, k: int) -> int:
        return len(self.rawdata) if k < 0 and self._at_end else k

    def parse_starttag(self, i: int) -> int:
        return self._to_end(super().parse_starttag(i))

    def parse_endtag(self, i: int) -> int:
        return self._to_end(super().parse_endtag(i))

    def parse_comment(self, i: int, report: bool = True) -> int:
        return self._to_end(super().parse_comment(i, report))

    def parse_pi(self, i: int) -> int:
        return self._to_end(super().parse_pi(i))

    def parse_html_declaration(self, i: int) -> int:
        return self._to_end(super().parse_html_declaration(i))

    def parse_bogus_comment(self, i: int, report: bool = True) -> int:
        return self._to_end(super().parse_bogus_comment(i, report))

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        # Python < 3.13 raises AssertionError on "<![" not followed by CDATA, if, endif…
        # (a scraped page with "<![ACDATA[" then fails as a whole): skip it like a comment.
        try:
            return self._to_end(super().parse_marked_section(i, report))
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            return self._to_end(-1 if end < 0 else end + 1)

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self._title.append(data)
        if self.skip_depth:
            return
        self.parts.append(data.replace("\n", " ").replace("\r", " "))


def html_to_text(html: str) -> str:
    """Visible text of an HTML document, one line per block element."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [ln.strip() for ln in text.split("\n")]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out).strip()


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:4096].lower():
        return True
    if not head.startswith("<"):
        return False
    return len(_HTML_HINT_RE.findall(text[:20000])) >= 3


# ---------------------------------------------------------------- DOCX
#
# A .docx is a zip of XML parts, so it is checked from the zip directory and the raw
# bytes before python-docx (lxml) parses anything:
#
# * sizes come from the directory (no part over 32 MB, 100 MB in all, 1,000 parts): a speech
#   of 100,000 characters makes a document.xml of 1–3 MB, lxml needs about five times the
#   size of the XML in memory, and a few hundred KB of zip can hold GBs of XML;
# * no XML part may hold a DTD (<!DOCTYPE / <!ENTITY): OOXML never has one, and a DTD is
#   how external entities (XXE) and entity expansion ("billion laughs") get in;
# * XML parts must be UTF-8 or UTF-16 as OOXML requires (or GBK/Big5): other encodings
#   (UTF-7, EBCDIC…) could spell a DTD in bytes the check above does not see.
#
# python-docx's own parser does not resolve entities either, and libxml2 refuses
# expansion loops and nesting deeper than 256 elements: the checks give a clear refusal,
# those limits stay as a second line.

DOCX_MAX_PARTS = 1000
DOCX_MAX_PART_BYTES = 32 * 1024 * 1024
DOCX_MAX_TOTAL_BYTES = 100 * 1024 * 1024
_DTD_RE = re.compile(rb"<!(?:doctype|entity)", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)
# OOXML requires UTF-8 or UTF-16; Chinese tools sometimes declare GBK or Big5. In all of
# these "<!" can only be "<!" (UTF-16 once its NULs are dropped).
_XML_ENCODINGS = frozenset(
    b"utf-8 utf8 utf-16 utf-16le utf-16be us-ascii ascii gbk gb2312 gb18030 big5".split()
)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_CONTENT_TYPES = "[Content_Types].xml"
# What zipfile raises on a damaged archive: a corrupt deflate stream (zlib.error), an
# unknown method or version (NotImplementedError), a negative seek (ValueError)…
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, ValueError)


def _unsafe(filename: str, reason: str) -> UnsafeFileError:
    return UnsafeFileError(f"文件“{filename}”内容异常（{reason}），已拒绝。", filename)


def _check_xml_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str) -> None:
    """Stream one XML part: refuse a DTD or an encoding other than UTF-8/UTF-16."""
    tail = b""
    first = True
    with zf.open(info) as handle:
        while chunk := handle.read(1 << 20):
            # UTF-16 keeps ASCII as byte + NUL: without the NULs both read alike.
            text = tail + chunk.replace(b"\x00", b"")
            if first:
                first = False
                head = text
                for bom in _BOMS:
                    head = head.removeprefix(bom)
                head = head.lstrip()
                if not head.startswith(b"<"):
                    raise _unsafe(filename, f"{info.filename} 不是 UTF-8 或 UTF-16 编码的 XML")
                m = _XML_ENCODING_RE.match(head)
                if m and m.group(1).lower() not in _XML_ENCODINGS:
                    raise _unsafe(filename, f"{info.filename} 不是 UTF-8 或 UTF-16 编码的 XML")
            if _DTD_RE.search(text):
                raise _unsafe(filename, "含 XML 实体定义或 DTD")
            tail = text[-16:]


def _is_package_xml(content_type: str) -> bool:
    """OOXML markup (application/vnd.…+xml) and custom XML; not SVG images or XHTML
    chunks, which Word carries as they are (often with a DOCTYPE) and nobody parses here."""
    return content_type.endswith("xml") and (
        content_type.startswith("application/vnd.")
        or content_type in ("application/xml", "text/xml")
    )


def _xml_parts(zf: zipfile.ZipFile, filename: str) -> list[zipfile.ZipInfo]:
    """The members a Word reader may parse as XML: the content-type list, relationship
    parts and the package's XML parts."""
    from xml.etree import ElementTree

    _check_xml_part(zf, zf.getinfo(_CONTENT_TYPES), filename)
    try:
        root = ElementTree.fromstring(zf.read(_CONTENT_TYPES))  # no DTD: nothing to expand
    except ElementTree.ParseError as exc:
        raise _err(filename, "不是有效的 .docx 文件（内容类型表已损坏）") from exc
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for entry in root:
        kind = entry.tag.rpartition("}")[2]
        content_type = entry.get("ContentType", "").lower()
        if kind == "Default":
            defaults[entry.get("Extension", "").lower()] = content_type
        elif kind == "Override":
            overrides[entry.get("PartName", "").lower()] = content_type
    parts = []
    for info in zf.infolist():
        name = info.filename
        extension = name.rpartition(".")[2].lower() if "." in name else ""
        content_type = overrides.get("/" + name.lower(), defaults.get(extension, ""))
        if (
            name == _CONTENT_TYPES
            or name.lower().endswith(".rels")
            or _is_package_xml(content_type)
        ):
            parts.append(info)
    return parts


def _check_docx_zip(zf: zipfile.ZipFile, filename: str) -> None:
    infos = zf.infolist()
    if len(infos) > DOCX_MAX_PARTS:
        raise _unsafe(filename, f"压缩包内部件超过 {DOCX_MAX_PARTS} 个")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _err(filename, "已加密（设有密码），请在 Word 中取消密码后再上传")
        total += info.file_size
        if info.file_size > DOCX_MAX_PART_BYTES or total > DOCX_MAX_TOTAL_BYTES:
            limit = DOCX_MAX_TOTAL_BYTES // (1024 * 1024)
            raise _unsafe(filename, f"解压后超过 {limit} MB 或单个部件过大，疑似压缩炸弹")
    for info in _xml_parts(zf, filename):
        _check_xml_part(zf, info, filename)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARAGRAPH = _W + "p"
_TEXT = _W + "t"
# Run content that stands for characters (python-docx's reading of a run).
RUN_CHARS = {
    _W + "tab": "\t",
    _W + "ptab": "\t",
    _W + "br": "\n",
    _W + "cr": "\n",
    _W + "noBreakHyphen": "-",
}
# Deleted text, field codes, properties; mc:Fallback repeats its mc:Choice (text boxes).
_NOT_SHOWN = frozenset(
    [_W + name for name in ("del", "moveFrom", "delText", "instrText", "pPr", "rPr", "sectPr")]
    + ["{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"]
)


def _docx_lines(body) -> list[str]:
    """One line per paragraph in reading order, wherever the paragraph sits: tables,
    content controls (w:sdt), custom XML, tracked insertions, hyperlinks, text boxes
    (after the paragraph that anchors them). Recursion is bounded by the XML depth, which
    libxml2 limits to 256."""
    lines: list[str] = []

    def blocks(element) -> None:
        for child in element:
            if not isinstance(child.tag, str) or child.tag in _NOT_SHOWN:
                continue  # comments, processing instructions
            if child.tag == _PARAGRAPH:
                paragraph(child)
            else:
                blocks(child)

    def paragraph(p) -> None:
        parts: list[str] = []
        boxes: list = []

        def inline(element) -> None:
            for child in element:
                tag = child.tag
                if not isinstance(tag, str) or tag in _NOT_SHOWN:
                    continue
                if tag == _TEXT:
                    parts.append(child.text or "")
                elif tag in RUN_CHARS:
                    parts.append(RUN_CHARS[tag])
                elif tag == _PARAGRAPH:
                    boxes.append(child)  # a paragraph of a text box
                else:
                    inline(child)

        inline(p)
        lines.append("".join(parts))
        for box in boxes:
            paragraph(box)

    if body is not None:
        blocks(body)
    return lines


def _open_docx(data: bytes, filename: str):
    """The python-docx Document of ``data``, once the package has passed the checks above."""
    if not data.startswith(b"PK"):
        raise _err(filename, "不是有效的 .docx 文件（不是 zip 格式）；旧版 .doc 请另存为 .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names or _CONTENT_TYPES not in names:
                raise _err(filename, "不是 Word 文档：它是一个 zip 压缩包，但其中没有 Word 正文")
            _check_docx_zip(zf, filename)
    except ZIP_ERRORS as exc:  # never IngestError: that is no ValueError
        raise _err(filename, "不是有效的 .docx 文件（zip 数据已损坏）") from exc
    try:
        import docx

        return docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise _err(filename, "无法作为 Word 文档（.docx）打开，文件可能已损坏") from exc


def _docx_text(data: bytes, filename: str) -> str:
    document = _open_docx(data, filename)
    try:
        return "\n".join(_docx_lines(document.element.body))
    except Exception as exc:
        raise _err(filename, "的 Word 内容无法读取，文件可能已损坏") from exc


# ---------------------------------------------------------------- entry point


def _check_upload(data: bytes, name: str, max_bytes: int) -> None:
    """Empty, too large, or an OLE compound file (old .doc, or a password-protected .docx)."""
    if data is None or len(data) == 0:
        raise _err(name, "是空文件，没有任何内容")
    if len(data) > max_bytes:
        raise _err(
            name,
            f"太大（{len(data) / 1024 / 1024:.1f} MB），超过上限 {max_bytes / 1024 / 1024:.0f} MB",
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptedPackage".encode("utf-16-le") in data:  # Word's "encrypt with password"
            raise _err(name, "已加密（设有打开密码），请在 Word 中取消密码后再上传")
        raise _err(name, "是旧版 Office 文档（.doc/.xls），暂不支持，请另存为 .docx 后上传")


def open_docx(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES):
    """A Word file checked as ingestion checks it (size, old or encrypted Office files, zip
    damage, zip bombs, DTDs), opened with python-docx; IngestError with a Chinese message."""
    name = filename or "（未命名）"
    _check_upload(data, name, max_bytes)
    return _open_docx(data, name)


def decode_bytes(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """Decode an uploaded file to text; raises IngestError with a Chinese message."""
    name = filename or "（未命名）"
    _check_upload(data, name, max_bytes)
    lower = name.lower()
    is_zip = data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06")
    if lower.endswith(".docx") or lower.endswith(".docm") or is_zip:
        if not is_zip and not lower.endswith((".docx", ".docm")):
            pass  # unreachable: kept for clarity
        return Decoded(_docx_text(data, name), "docx")
    if data.startswith(b"%PDF"):
        raise _err(name, "是 PDF 文件，暂不支持，请上传 .txt、.docx 或网页文件")
    if data[:8].startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z")):
        raise _err(name, "是图片或压缩文件，不是文本，无法识别讲话内容")
    if not data.strip():
        raise _err(name, "只包含空白字符，没有任何内容")
    decoded = _decode_text_bytes(data, name)
    text = decoded.text
    if lower.endswith((".html", ".htm", ".xhtml", ".shtml")) or looks_like_html(text):
        return Decoded(html_to_text(text), "html")
    return decoded
