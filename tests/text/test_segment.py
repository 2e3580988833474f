from speechdraft.text import segment


def test_lcut_converts_to_simplified_first():
    assert segment.lcut("發展經濟") == segment.lcut("发展经济")
    assert "".join(segment.lcut("推动高质量发展")) == "推动高质量发展"
    assert segment.lcut("") == []


def test_tokenizer_is_a_singleton():
    assert segment._load() is segment._load()


def test_add_terms():
    word = "七星九曜十方阵"  # made up: not in jieba's dictionary
    assert word not in segment.lcut(f"推进{word}产业发展")
    assert segment.add_terms([word, " ", "x"]) == 1
    assert word in segment.lcut(f"推进{word}产业发展")
    assert segment.add_terms([word]) == 0
    segment.remove_terms([word])


def test_keywords():
    words = segment.keywords("要狠抓招商引资，招商引资是经济工作的生命线，全力抓好招商引资。", k=3)
    assert words[0] == "招商引资"
    assert len(words) <= 3
    assert segment.keywords("") == []


def test_fast_cache_load_matches_jieba(tmp_path):
    import jieba

    assert segment._load().FREQ is jieba.dt.FREQ
    assert jieba.dt.initialized


def test_dict_cut_follows_jiebas_dictionary_route():
    tokenizer = segment._load()
    for text in [
        "危险化学品等重点领域",
        "要心悦诚服",
        "推动高质量发展",
        "凝心聚力",
        "真抓实干久久为功",
    ]:
        assert segment.dict_cut(text) == tokenizer.lcut(text, HMM=False)
    assert "".join(segment.dict_cut("选派{{ 数字6 }}名干部")) == "选派{{ 数字6 }}名干部"
    assert segment.dict_cut("") == []
    word = "七星九曜十方阵"  # made up: a user-dictionary word counts
    segment.add_terms([word])
    try:
        assert word in segment.dict_cut(f"推进{word}建设")
        assert segment.word_tag(word) is None  # no tag: not taken for a noun
    finally:
        segment.remove_terms([word])


def test_word_tag_reads_the_dictionary():
    assert segment.word_tag("心悦诚服") == "i"
    assert segment.word_tag("推进") == "v"
    assert segment.word_tag("干部") == "n"  # every noun tag reads n
    assert segment.word_tag("凝心聚力") is None  # not a dictionary word
    assert segment.word_freq("干部") > segment.word_freq("墨守") > 0
    assert segment.word_freq("凝心聚力") == 0
