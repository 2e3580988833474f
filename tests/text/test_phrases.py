from speechdraft.text.clean import CleanSpeech
from speechdraft.text.phrase_quality import MIN_QUALITY
from speechdraft.text.phrases import mine_phrases, slogans
from speechdraft.text.structure import build_speech


def _mine():
    speech = build_speech(
        CleanSpeech(
            title="讲话",
            salutation="同志们：",
            body=[
                "今天我们召开全县经济工作会议，主要任务是部署明年工作。下面，我讲两点意见。",
                "一、统一思想",
                "思想是行动的先导，理论是实践的指南。要心悦诚服、不带杂质、表里如一、言行一致地推动发展。"
                "要比发展实绩、比实干担当、比能力作风。要推进“一主三优多特色”产业发展。",
                "二、狠抓落实",
                "要看好自己的门，管好自己的人，办好自己的事。",
                "同志们，让我们团结一心，为完成全年目标任务而努力奋斗！",
            ],
        )
    )
    speech.phrases = mine_phrases(speech, 3)
    return speech


def _kinds(speech, kind):
    return [p.text for p in speech.phrases if p.kind == kind]


def test_phrase_kinds():
    speech = _mine()
    assert {"心悦诚服", "不带杂质", "表里如一", "言行一致"} <= set(_kinds(speech, "four_char"))
    assert "比发展实绩、比实干担当、比能力作风" in _kinds(speech, "parallel")
    assert "看好自己的门，管好自己的人，办好自己的事" in _kinds(speech, "parallel")
    assert "思想是行动的先导，理论是实践的指南。" in _kinds(speech, "golden")
    assert _kinds(speech, "slogan") == ["一主三优多特色"]
    assert _kinds(speech, "transition") == ["下面，我讲两点意见。"]
    assert _kinds(speech, "opening")[0].startswith("今天我们召开全县经济工作会议")
    assert _kinds(speech, "closing") == ["同志们，让我们团结一心，为完成全年目标任务而努力奋斗！"]
    assert slogans(speech) == ["一主三优多特色"]
    # every one of them is worth a curator's time
    assert all(p.score >= MIN_QUALITY for p in speech.phrases), [
        (p.text, p.score) for p in speech.phrases if p.score < MIN_QUALITY
    ]


def test_positions_and_speech_index():
    speech = _mine()
    by_text = {p.text: p for p in speech.phrases}
    assert by_text["心悦诚服"].position == "s1:p0"
    assert by_text["心悦诚服"].speech_index == 3
    assert by_text["下面，我讲两点意见。"].position == "opening:p0"
    assert by_text["看好自己的门，管好自己的人，办好自己的事"].position == "s2:p0"


def test_no_duplicates():
    speech = _mine()
    keys = [(p.kind, p.text) for p in speech.phrases]
    assert len(keys) == len(set(keys))
