"""The judged 素材库 set of issue 15: the library, the queries and their graded relevance.

No Django here (the speechdraft.text pipeline only), so the set can be built and checked
without a database: bench/library_quality.py loads it into one, tests/library/
test_quality_set.py checks it. Data in bench/library/ (see its README.md).

Paragraphs come from two places:
* generated: composed deterministically (a fixed seed) from the building blocks in
  bench/library/material/*.txt; each carries the labels of the blocks it was made from;
* samples: the five sample speeches, through speechdraft.text.pipeline, labelled by hand in
  bench/library/samples.json.
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "library"
MATERIAL = DATA / "material"
SEED = 20261202
GENERAL = "综合"
MEETINGS = ("动员部署", "干部大会", "总结表彰", "交流发言")
SECTION_ROLES = ("situation", "tasks", "style")
ROLES = (*SECTION_ROLES, "opening", "closing", "other")


@dataclass(frozen=True)
class Sentence:
    text: str
    mentions: tuple[str, ...] = ()  # facets this sentence touches in passing (#责任)


@dataclass
class Topic:
    topic: str
    code: str = ""
    name: str = ""
    # (subtopic or None, block name) -> sentences; block names: "tasks", "heading tasks", …
    blocks: dict[tuple[str | None, str], list[Sentence]] = field(
        default_factory=lambda: defaultdict(list)
    )
    subs: list[tuple[str, str]] = field(default_factory=list)  # (name, code)

    def block(self, name: str, sub: str | None = None) -> list[Sentence]:
        return self.blocks.get((sub, name), [])


@dataclass
class Paragraph:
    id: str
    text: str
    heading: str
    role: str
    topic: str
    sub: str | None = None
    part: tuple[str, ...] = ()  # "T" or "T/S": subjects it is partly about
    facets: dict[str, str] = field(default_factory=dict)  # facet -> "focus" | "mention"
    meeting: str | None = None
    keywords: list[str] | None = None  # samples: the pipeline's; generated: computed on load
    source: str = "generated"


@dataclass(frozen=True)
class Phrase:
    id: str
    kind: str
    text: str


@dataclass(frozen=True)
class Query:
    id: str
    type: str
    q: str
    rules: tuple[dict, ...]
    items: dict[str, int]


@dataclass
class Library:
    paragraphs: list[Paragraph]
    phrases: list[Phrase]

    def ids(self) -> set[str]:
        return {p.id for p in self.paragraphs} | {p.id for p in self.phrases}


# -- material ------------------------------------------------------------------------------

_TAG = re.compile(r"\s+#(\S+)\s*$")


def parse_material(text: str) -> tuple[list[Topic], dict[str, Topic]]:
    """Topics (@topic) and facets (@facet) of one material file."""
    topics: list[Topic] = []
    facets: dict[str, Topic] = {}
    current: Topic | None = None
    sub: str | None = None
    block: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        if line.startswith("@"):
            key, _, value = line[1:].partition(" ")
            value = value.strip()
            if key == "topic":
                current, sub, block = Topic(value), None, None
                topics.append(current)
            elif key == "facet":
                current, sub, block = Topic(value), None, None
                facets[value] = current
            elif key == "code":
                current.code = value
            elif key == "name":
                current.name = value
            elif key == "sub":
                name, _, code = value.partition(" ")
                current.subs.append((name, code.strip()))
                sub, block = name, None
            else:
                raise ValueError(f"unknown directive: {line}")
            continue
        if line.startswith("[") and line.endswith("]"):
            block = line[1:-1].strip()
            continue
        if current is None or block is None:
            raise ValueError(f"sentence outside a block: {line}")
        mentions: tuple[str, ...] = ()
        m = _TAG.search(line)
        if m:
            mentions = tuple(m.group(1).split(","))
            line = line[: m.start()]
        current.blocks[(sub, block)].append(Sentence(line, mentions))
    return topics, facets


@cache
def material() -> tuple[tuple[Topic, ...], dict[str, Topic], Topic]:
    """(subject topics, facets, the general topic) from bench/library/material/."""
    topics: list[Topic] = []
    facets: dict[str, Topic] = {}
    for path in sorted(MATERIAL.glob("*.txt")):
        t, f = parse_material(path.read_text(encoding="utf-8"))
        topics.extend(t)
        facets.update(f)
    general = next(t for t in topics if t.topic == GENERAL)
    return tuple(t for t in topics if t.topic != GENERAL), facets, general


# -- composition ---------------------------------------------------------------------------

_LEVEL = re.compile(r"全市|我市|市委|市政府|市纪委")


def _at_level(text: str, level: str) -> str:
    return _LEVEL.sub(lambda m: m.group(0).replace("市", level), text)


def _ordinals(sentences: list[str]) -> list[str]:
    marks = "一二三四五六"
    return [f"{marks[i]}是{s}" if i < len(marks) else s for i, s in enumerate(sentences)]


class _Composer:
    def __init__(self, rng: random.Random, facets: dict[str, Topic], general: Topic):
        self.rng, self.facets, self.general = rng, facets, general
        self.seen: set[frozenset[str]] = set()
        self.counters: dict[tuple[str, str], int] = defaultdict(int)
        self.out: list[Paragraph] = []

    def _pick(self, pool: list[Sentence], n: int) -> list[Sentence]:
        return self.rng.sample(pool, min(n, len(pool)))

    def _emit(
        self,
        topic: Topic,
        role: str,
        heading: str,
        body: list[Sentence],
        *,
        sub: str | None = None,
        focus: str | None = None,
        meeting: str | None = None,
        ordinals: bool = False,
    ) -> bool:
        # The same sentences in another order, at another level or under another heading are
        # the same paragraph to a drafter: made once.
        key = frozenset(s.text for s in body)
        if key in self.seen:
            return False
        self.seen.add(key)
        level = self.rng.choice("市县区")
        texts = [s.text for s in body]
        if ordinals:
            texts = _ordinals(texts)
        text = _at_level("".join(texts), level)
        facets = {f: "mention" for s in body for f in s.mentions}
        if focus:
            facets[focus] = "focus"
        key = (topic.code, role)
        self.counters[key] += 1
        self.out.append(
            Paragraph(
                id=f"{topic.code}-{role}-{self.counters[key]:03d}",
                text=text,
                heading=_at_level(heading, level),
                role=role,
                topic=topic.topic,
                sub=sub,
                facets=facets,
                meeting=meeting,
            )
        )
        return True

    def _extras(self, topic: Topic, body: list[Sentence]) -> list[Sentence]:
        """A neutral closing sentence sometimes; a passing mention of another subject sometimes."""
        rng = self.rng
        if rng.random() < 0.25:
            body = [*body, rng.choice(self.general.block("filler"))]
        if rng.random() < 0.22:
            own = topic.block("passing")
            pool = own if own and rng.random() < 0.5 else self.general.block("passing")
            body = list(body)
            body.insert(rng.randint(1, len(body)), rng.choice(pool))
        return body

    def section(self, topic: Topic, role: str, sub: str | None) -> bool:
        rng = self.rng
        focus = None
        if role in ("tasks", "style") and rng.random() < 0.22:
            focus = rng.choice(sorted(self.facets))
        own = topic.block(role, sub)
        if focus:
            facet = self.facets[focus]
            heading = rng.choice(facet.block("heading")).text
            lead = [
                Sentence(s.text.replace("{X}", topic.name))
                for s in self._pick(facet.block("sentences"), rng.randint(2, 3))
            ]
            body = lead + self._pick(own or topic.block(role), rng.randint(1, 2))
            heading = heading.replace("{X}", topic.name)
        else:
            headings = topic.block(f"heading {role}", sub)
            if not headings or rng.random() < 0.25:
                headings = topic.block(f"heading {role}") or self.general.block(f"heading {role}")
            heading = rng.choice(headings).text
            if sub:
                body = self._pick(own, rng.randint(2, 4))
                if len(body) < 2 or rng.random() < 0.4:
                    body += self._pick(topic.block(role), rng.randint(1, 2))
            else:
                body = self._pick(own, rng.randint(3, 5))
        body = self._extras(topic, body)
        ordinals = role == "tasks" and len(body) >= 3 and rng.random() < 0.3
        return self._emit(topic, role, heading, body, sub=sub, focus=focus, ordinals=ordinals)

    def opening(self, topic: Topic, meeting: str) -> bool:
        rng, general = self.rng, self.general
        if topic is general:
            body = self._pick(general.block(f"opening {meeting}"), rng.randint(2, 3))
        else:
            body = self._pick(topic.block("opening"), rng.randint(1, 2))
            if rng.random() < 0.4:
                body += self._pick(general.block(f"opening {meeting}"), 1)
        if rng.random() < 0.6:
            body += [rng.choice(general.block("opening any"))]
        return self._emit(topic, "opening", "", body, meeting=meeting)

    def closing(self, topic: Topic, meeting: str) -> bool:
        rng, general = self.rng, self.general
        if topic is general:
            body = self._pick(general.block(f"closing {meeting}"), rng.randint(1, 2))
        else:
            body = self._pick(topic.block("closing"), 1)
            if rng.random() < 0.4:
                body += self._pick(general.block(f"closing {meeting}"), 1)
        if rng.random() < 0.3:
            body += [rng.choice(general.block("closing any"))]
        return self._emit(topic, "closing", "", body, meeting=meeting)


def _repeat(make, n: int) -> None:
    made = tries = 0
    while made < n and tries < n * 20:
        tries += 1
        made += bool(make())


# Paragraphs per topic and role; a subtopic adds its own on top.
PER_TOPIC = {"situation": 22, "tasks": 36, "style": 16, "opening": 5, "closing": 3}
PER_SUB = {"situation": 5, "tasks": 14}
GENERAL_COUNTS = {"opening": 30, "closing": 16, "situation": 60}


def generated(seed: int = SEED) -> list[Paragraph]:
    topics, facets, general = material()
    c = _Composer(random.Random(seed), facets, general)
    for topic in topics:
        subs = [name for name, _ in topic.subs]
        for role in SECTION_ROLES:
            _repeat(lambda t=topic, r=role: c.section(t, r, None), PER_TOPIC[role])
            for sub in subs:
                if topic.block(role, sub):
                    _repeat(lambda t=topic, r=role, s=sub: c.section(t, r, s), PER_SUB[role])
        _repeat(lambda t=topic: c.opening(t, "动员部署"), PER_TOPIC["opening"])
        _repeat(lambda t=topic: c.closing(t, "动员部署"), PER_TOPIC["closing"])
    for meeting in MEETINGS:
        _repeat(lambda m=meeting: c.opening(general, m), GENERAL_COUNTS["opening"])
        _repeat(lambda m=meeting: c.closing(general, m), GENERAL_COUNTS["closing"])
    _repeat(lambda: c.section(general, "situation", None), GENERAL_COUNTS["situation"])
    return c.out


# -- samples, phrases, queries -------------------------------------------------------------


def samples() -> list[Paragraph]:
    """The sample speeches' paragraphs (as ingestion makes them), with their hand labels."""
    from speechdraft.text.pipeline import parse_bytes, reusable_paragraphs

    labels = json.loads((DATA / "samples.json").read_text(encoding="utf-8"))["labels"]
    out = []
    for path in sorted((ROOT / "fixtures" / "corpus").glob("*.txt")):
        for si, speech in enumerate(parse_bytes(path.read_bytes(), path.name).speeches):
            for i, unit in enumerate(reusable_paragraphs(speech)):
                pid = f"s{path.name[:3]}-{si}-{i}"
                label = labels[pid]
                topic, _, sub = label["topic"].partition("/")
                out.append(
                    Paragraph(
                        id=pid,
                        text=unit.text,
                        heading=unit.heading or "",
                        role=label.get("role") or unit.role or "other",
                        topic=topic,
                        sub=sub or None,
                        part=tuple(label.get("part", ())),
                        facets=dict(label.get("facets", {})),
                        meeting=label.get("meeting"),
                        keywords=list(unit.keywords),
                        source="sample",
                    )
                )
    return out


def phrases() -> list[Phrase]:
    out = []
    for line in (DATA / "phrases.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("//"):
            continue
        kind, text = line.split("\t")
        out.append(Phrase(f"ph-{len(out) + 1:03d}", kind, text))
    return out


@cache
def library() -> Library:
    return Library(generated() + samples(), phrases())


def queries() -> list[Query]:
    data = json.loads((DATA / "queries.json").read_text(encoding="utf-8"))
    return [
        Query(q["id"], q["type"], q["q"], tuple(q.get("rules", ())), dict(q.get("items", {})))
        for q in data["queries"]
    ]


# -- judgements ----------------------------------------------------------------------------


def _topic_grade(spec, p: Paragraph, grade: int) -> int:
    """`grade` if the paragraph is about a topic of `spec`, 1 at most if partly, else 0."""
    best = 0
    for want in [spec] if isinstance(spec, str) else spec:
        topic, slash, sub = want.partition("/")
        if topic == p.topic and (not slash or (sub or None) == p.sub):
            return grade
        for part in p.part:
            pt, _, ps = part.partition("/")
            if pt == topic and (not slash or ps == sub):
                best = max(best, min(grade, 1))
    return best


def rule_grade(rule: dict, item: Paragraph | Phrase) -> int:
    grade = rule["grade"]
    if "kind" in rule:
        return grade if isinstance(item, Phrase) and item.kind in rule["kind"] else 0
    if isinstance(item, Phrase):
        return 0
    if "role" in rule and item.role not in rule["role"]:
        return 0
    if "facet" in rule and item.facets.get(rule["facet"]) != "focus":
        return 0
    if "mention" in rule and rule["mention"] not in item.facets:
        return 0
    if "meeting" in rule and item.meeting != rule["meeting"]:
        return 0
    if "topic" in rule:
        return _topic_grade(rule["topic"], item, grade)
    return grade


def judgements(query: Query, lib: Library | None = None) -> dict[str, int]:
    """id -> grade (> 0 only) of every item of the library for `query`."""
    lib = lib or library()
    grades: dict[str, int] = {}
    for item in [*lib.paragraphs, *lib.phrases]:
        g = max((rule_grade(r, item) for r in query.rules), default=0)
        if g:
            grades[item.id] = g
    for pid, g in query.items.items():
        if g:
            grades[pid] = g
        else:
            grades.pop(pid, None)
    return grades
