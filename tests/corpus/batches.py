"""Speeches written for the upload tests, zips built from them, and the upload page's views of
a batch (what the curator sees)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from speechdraft.corpus.models import SourceDocument, UploadBatch

UPLOAD_URL = "/admin/corpus/sourcedocument/upload/"

_TOPICS = {
    "安全生产": [
        (
            "提高思想认识，切实增强抓好安全生产的责任感",
            "安全生产事关人民群众生命财产安全，事关改革发展稳定大局。各级各部门要牢固树立安全发展"
            "理念，始终把安全生产摆在突出位置，坚决守住不发生重特大事故的底线。",
        ),
        (
            "突出工作重点，全面排查整治风险隐患",
            "要聚焦道路交通、危险化学品、建筑施工、消防等重点行业领域，深入开展隐患排查治理，"
            "对发现的问题建立台账、限期整改，做到整改责任、措施、资金、时限和预案五落实。",
        ),
    ],
    "乡村振兴": [
        (
            "坚持农业农村优先发展，夯实粮食安全根基",
            "要严守耕地保护红线，稳定粮食播种面积，加快高标准农田建设，推广良种良法，"
            "确保全年粮食产量稳定在四十万吨以上，把饭碗牢牢端在自己手中。",
        ),
        (
            "发展富民乡村产业，拓宽农民增收渠道",
            "要依托茶叶、油茶、中药材等特色资源，培育农业龙头企业和农民合作社，"
            "发展农产品精深加工和乡村旅游，让农民更多分享产业增值收益。",
        ),
    ],
    "教育": [
        (
            "坚持立德树人，办好人民满意的教育",
            "要把思想政治课作为落实立德树人根本任务的关键课程，加强师德师风建设，"
            "持续推进义务教育优质均衡发展，让每个孩子都能享有公平而有质量的教育。",
        ),
        (
            "补齐办学短板，改善农村学校条件",
            "今年要新建改扩建中小学校舍八万平方米，新增学位三千六百个，"
            "配齐农村学校音体美教师，解决好大班额和寄宿制学校生活设施不足的问题。",
        ),
    ],
    "营商环境": [
        (
            "深化放管服改革，提升政务服务效能",
            "要全面推行一网通办、一窗受理，企业开办时间压缩到一个工作日以内，"
            "工程建设项目审批时间压缩到六十个工作日以内，让企业和群众办事更加便利。",
        ),
        (
            "依法保护市场主体，稳定企业发展预期",
            "要坚决纠正涉企违规收费，及时清理拖欠中小企业账款，"
            "建立政企沟通常态化机制，领导干部要主动上门服务，帮助企业解决融资、用工、用地难题。",
        ),
    ],
    "防汛": [
        (
            "立足防大汛抗大灾，压紧压实防汛责任",
            "要落实以行政首长负责制为核心的防汛责任制，水库、堤防、山洪灾害危险区逐一明确"
            "责任人，汛期实行二十四小时值班和领导带班制度，确保信息畅通、指挥有力。",
        ),
        (
            "做好转移避险准备，确保群众生命安全",
            "要提前排查地质灾害隐患点和低洼易涝区域，制定群众转移安置方案，"
            "备足冲锋舟、救生衣、沙袋等防汛物资，做到人员转移不漏一户、不落一人。",
        ),
    ],
}
TOPICS = list(_TOPICS)


def speech(topic: str, place: str = "东山县") -> str:
    """A short speech of its own: its parts are the topic's, its words found nowhere else."""
    numbers = "一二三四五"
    lines = [
        f"在全县{topic}工作会议上的讲话",
        "同志们：",
        f"今天，我们召开全县{topic}工作会议，主要任务是总结去年工作，部署今年任务。"
        f"刚才，几位同志作了发言，讲得很好。下面，我就做好{place}{topic}工作讲两点意见。",
    ]
    for n, (heading, paragraph) in enumerate(_TOPICS[topic]):
        lines += [f"{numbers[n]}、{heading}", paragraph]
    lines.append(
        f"同志们，做好{topic}工作责任重大，让我们真抓实干，为全面完成今年目标任务而努力奋斗！"
    )
    return "\n".join(lines)


def make_zip(entries: dict[str, bytes] | list[tuple[str, bytes]], **options) -> bytes:
    buffer = io.BytesIO()
    items = entries.items() if isinstance(entries, dict) else entries
    with zipfile.ZipFile(buffer, "w", options.pop("compression", zipfile.ZIP_DEFLATED)) as archive:
        for name, data in items:
            archive.writestr(name, data, **options)
    return buffer.getvalue()


def upload_file(name: str, data: bytes | str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data.encode() if isinstance(data, str) else data)


def latest_batch() -> UploadBatch:
    return UploadBatch.objects.latest("pk")


def batch_finished(batch: UploadBatch) -> bool:
    batch.refresh_from_db()
    return batch.finished_at is not None


def states() -> dict[str, str]:
    return dict(SourceDocument.objects.values_list("file_name", "state"))
