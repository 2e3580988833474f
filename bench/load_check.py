"""The integrity check after bench/load.py: replay the log of accepted operations of everyone who
changed a draft (its owner and its 协作起草), in the order of the versions the server answered,
from the draft's first revision, with the server's own placement rules, and compare the result
with the database item by item (ids, parent, position, level, numbered, heading, body, source).

Needs Django set up on the load database. A lost write leaves an item or a text the log
expects and the database lacks; a duplicated one leaves an extra item, a repeated marker or a
version no accepted operation claims. Across the two units the drafters work in, a draft of
another unit or an item, insert or use of another unit's material is a finding too; so is a
share with someone of another unit. The history must hold only what the roles allow (issue 19):
every revision is by the owner or a 协作起草, but for the flow's own steps (送审 … 定稿), each by
whoever the flow allowed at that point, and no text change lies between a 送审 and the 撤回 or
退回修改 after it (nor after 审核通过 or 定稿).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from django.contrib.auth import get_user_model
from django.db.models import F, Q

from speechdraft.corpus.models import Paragraph, Role
from speechdraft.drafts.models import Draft, DraftItem, DraftShare, Flow, FlowStep, Revision
from speechdraft.drafts.snapshot import ITEM_FIELDS
from speechdraft.drafts.versions import revision_snapshot
from speechdraft.exports.models import ExportJob
from speechdraft.library.models import MaterialUse, Phrase
from speechdraft.text.placeholders import renumber_slots
from speechdraft.text.sanitize import plain_text
from speechdraft.text.templating import slot_names
from speechdraft.units.models import Membership, default_unit_id

MARKER = re.compile(r"〔drafter\d+-\d{4}〕")
MAX_LEVEL = 4
CHANGES = {"insert", "material", "edit", "step", "move", "delete"}
# A flow step's revision is named by the step (versions.commit with its label): 送审, 撤回, …
FLOW_ACTIONS = {label: value for value, label in FlowStep.Action.choices}
LOCKED = (Flow.SUBMITTED, Flow.APPROVED, Flow.FINAL)


@dataclass
class Item:
    parent: int | None
    numbered: bool
    heading: str
    body: str
    source: int | None
    level: int


class Model:
    """A draft's outline as the log says it must be."""

    def __init__(self, rows: list[dict]) -> None:
        self.items = {
            r["id"]: Item(
                r["parent_id"],
                r["numbered"],
                r["heading"],
                r["body"],
                r["source_paragraph_id"],
                r["level"],
            )
            for r in rows
        }
        self.children: dict[int | None, list[int]] = {}
        for r in sorted(rows, key=lambda r: (r["position"], r["id"])):
            self.children.setdefault(r["parent_id"], []).append(r["id"])

    def depth(self, item: int | None) -> int:
        level = 0
        while item is not None:
            level += self.items[item].numbered
            item = self.items[item].parent
        return level

    def siblings(self, parent: int | None) -> list[int]:
        return self.children.setdefault(parent, [])

    def add(self, item: int, parent: int | None, position: int, **fields) -> None:
        siblings = self.siblings(parent)
        siblings.insert(max(0, min(position, len(siblings))), item)
        numbered = fields["numbered"]
        depth = self.depth(parent)
        level = min(depth + 1, MAX_LEVEL) if numbered else depth
        self.items[item] = Item(parent=parent, level=level, **fields)

    def after(self, anchor: int) -> tuple[int | None, int]:
        """services.placement_after: the anchor's next sibling."""
        parent = self.items[anchor].parent
        return parent, self.siblings(parent).index(anchor) + 1

    def place(self, kind: str, anchor: int) -> tuple[int | None, int]:
        """services.placement_for: where 添加要点 / 添加段落 (and the form's 添加下级) put it."""
        item = self.items[anchor]
        if kind == "child" or (kind == "point" and item.numbered and item.parent is None):
            return anchor, len(self.siblings(anchor))
        if kind == "paragraph" and item.numbered and self.siblings(anchor):
            return anchor, 0
        return self.after(anchor)

    def slot_names(self) -> set[str]:
        """services.draft_slot_names: every slot the outline's text uses."""
        names: set[str] = set()
        for item in self.items.values():
            names.update(slot_names(f"{item.heading}\n{item.body}"))
        return names

    def part_for_role(self, role: str) -> int | None:
        """services._part_for_role: 形势 to the first part, 作风 to the last, else the middle."""
        parts = [i for i in self.siblings(None) if self.items[i].numbered]
        if not parts:
            return None
        if role == Role.SITUATION:
            return parts[0]
        if role == Role.STYLE:
            return parts[-1]
        return parts[min(1, len(parts) - 1)]

    def move(self, item: int, parent: int | None, position: int) -> None:
        old = self.items[item].parent
        self.siblings(old).remove(item)
        siblings = self.siblings(parent)
        siblings.insert(max(0, min(position, len(siblings))), item)
        if old != parent:
            self.items[item].parent = parent
            self.relevel(item)

    def relevel(self, item: int) -> None:
        stack = [(item, self.depth(self.items[item].parent))]
        while stack:
            node, parent_level = stack.pop()
            entry = self.items[node]
            entry.level = min(parent_level + 1, MAX_LEVEL) if entry.numbered else parent_level
            stack.extend((child, entry.level) for child in self.siblings(node))

    def delete(self, item: int) -> None:
        self.siblings(self.items[item].parent).remove(item)
        stack = [item]
        while stack:
            node = stack.pop()
            stack.extend(self.children.pop(node, []))
            del self.items[node]

    def apply(self, entry: dict, paragraphs: dict[int, Paragraph], phrases: dict[int, str]):
        op = entry["op"]
        if op == "insert":
            parent, position = self.place(entry["kind"], entry["anchor"])
            self.add(
                entry["item"],
                parent,
                position,
                numbered=entry["kind"] != "paragraph",
                heading="",
                body="",
                source=None,
            )
        elif op == "material":
            anchor = entry["anchor"]
            taken = self.slot_names()  # material's blanks get names of their own
            if entry["kind"] == "phrase":
                parent, position = self.place("paragraph", anchor)
                body, heading, numbered, source = phrases[entry["source"]], "", False, None
            else:
                paragraph = paragraphs[entry["source"]]
                anchored = self.items[anchor]
                if paragraph.heading and (anchored.numbered or anchored.parent is not None):
                    parent, position = self.place("point", anchor)
                elif paragraph.heading and (part := self.part_for_role(paragraph.role)):
                    parent, position = part, len(self.siblings(part))
                else:
                    parent, position = self.place("paragraph", anchor)
                numbered = bool(paragraph.heading) and parent is not None
                heading = renumber_slots(paragraph.heading, taken) if numbered else ""
                body, source = paragraph.text, paragraph.pk
            body = renumber_slots(body, taken)
            self.add(
                entry["item"],
                parent,
                position,
                numbered=numbered,
                heading=plain_text(heading).strip()[:300],
                body=plain_text(body).strip(),
                source=source,
            )
        elif op == "edit":
            item = self.items[entry["item"]]
            if entry["heading"] is not None:  # an autosave without one leaves it
                item.heading = plain_text(entry["heading"]).strip()[:300]
            item.body = plain_text(entry["body"]).strip()
        elif op == "step":
            parent = self.items[entry["item"]].parent
            index = self.siblings(parent).index(entry["item"])
            self.move(entry["item"], parent, index + entry["delta"])
        elif op == "move":
            self.move(entry["item"], entry["parent"], entry["position"])
        elif op == "delete":
            self.delete(entry["item"])

    def shape(self) -> dict[str, list[int]]:
        return {("" if p is None else str(p)): list(c) for p, c in self.children.items() if c}


@dataclass
class Report:
    drafts: int = 0
    verified: int = 0
    items: int = 0
    changes: int = 0
    markers: int = 0
    exports: int = 0
    shared: int = 0  # drafts shared with someone
    shared_changes: int = 0  # changes in those, replayed
    codrafter_changes: int = 0  # of which by a 协作起草
    revisions: int = 0  # revisions whose author and moment the roles and the flow allowed
    steps: Counter = field(default_factory=Counter)  # flow steps, by action
    findings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings and self.verified == self.drafts


def _shape_of(rows: list[dict]) -> dict[str, list[int]]:
    shape: dict[str, list[int]] = {}
    for r in sorted(rows, key=lambda r: (r["position"], r["id"])):
        shape.setdefault("" if r["parent_id"] is None else str(r["parent_id"]), []).append(r["id"])
    return shape


def check_draft(
    owner, entries: list[dict], uncertain: set[int], report: Report, paragraphs, phrases
):
    """Check one draft against its storage and the merged logs of everyone who changed it
    (`entries`, each with its drafter as "by"); problems go to ``report``. The replayed model,
    or None when the log cannot be replayed."""
    where = f"draft {owner.draft} ({owner.username}'s)"
    problems = report.findings
    draft = Draft.objects.get(pk=owner.draft)
    rows = list(DraftItem.objects.filter(draft=draft).values(*ITEM_FIELDS))
    report.items += len(rows)
    problems.extend(f"{where}: {p}" for p in _storage_problems(draft, rows))
    if draft.pk in uncertain or not entries:
        return None  # an operation's outcome is unknown (already counted as an error)

    first = Revision.objects.get(draft=draft, version=1)
    model = Model(revision_snapshot(first).items)
    opened = next((e for e in entries if e["op"] == "open" and e["by"] == owner.username), None)
    if opened is None or opened["shape"] != model.shape():
        problems.append(f"{where}: the editor first showed another outline than version 1")
        return None
    changes = sorted((e for e in entries if e["op"] in CHANGES), key=lambda e: e["v"])
    # Every version after the first is one accepted change (its answer named it) or one flow
    # step (the server's FlowStep names it; the drafter saw the step accepted): each once.
    steps = list(FlowStep.objects.filter(draft=draft).values_list("version", "action", "user"))
    names = dict(
        get_user_model()
        .objects.filter(pk__in={u for _, _, u in steps})
        .values_list("pk", "username")
    )
    seen = Counter((e["action"], e["by"]) for e in entries if e["op"] == "flow")
    recorded = Counter((action, names.get(user)) for _, action, user in steps)
    if seen != recorded:
        problems.append(
            f"{where}: flow steps {sorted(recorded.elements())}, the drafters saw "
            f"{sorted(seen.elements())} accepted"
        )
    claimed = sorted([e["v"] for e in changes] + [v for v, _, _ in steps])
    expected = list(range(opened["v"] + 1, draft.version + 1))
    if claimed != expected:
        twice = sorted(v for v, n in Counter(claimed).items() if n > 1)[:5]
        missing = sorted(set(expected) - set(claimed))[:5]
        problems.append(
            f"{where}: version {draft.version}; versions claimed twice {twice}, by no accepted "
            f"change or step {missing}"
        )
    for entry in changes:
        model.apply(entry, paragraphs, phrases)
    report.changes += len(changes)
    if any(e["op"] == "share" for e in entries):
        report.shared += 1
        report.shared_changes += len(changes)
        report.codrafter_changes += sum(e["by"] != owner.username for e in changes)
    problems.extend(f"{where}: {p}" for p in _replay_problems(model, rows, owner.final_shape))
    report.verified += 1
    return model


def _storage_problems(draft: Draft, rows: list[dict]) -> Iterator[str]:
    """Whatever happened: positions contiguous, one revision per version (typing folded into
    one), the last revision's snapshot is what the items are."""
    for parent, ids in _shape_of(rows).items():
        positions = sorted(r["position"] for r in rows if str(r["parent_id"] or "") == parent)
        if positions != list(range(len(ids))):
            yield f"positions under {parent or 'root'} are {positions}"
    revisions = list(
        Revision.objects.filter(draft=draft).order_by("version").values_list("version", "item_id")
    )
    versions = [v for v, _ in revisions]
    # Versions folded into a later stretch of typing have no revision of their own: a gap is
    # allowed only before a typing revision of one item.
    gaps_ok = all(
        item_id is not None for (prev, _), (v, item_id) in pairwise(revisions) if v > prev + 1
    )
    if not versions or versions[0] != 1 or versions[-1] != draft.version or not gaps_ok:
        yield f"version {draft.version} but revisions {versions[:5]}…{versions[-5:]}"
    last = Revision.objects.filter(draft=draft, version=draft.version).first()
    if last is not None:
        snap = sorted(tuple(i[f] for f in ITEM_FIELDS) for i in revision_snapshot(last).items)
        live = sorted(tuple(r[f] for f in ITEM_FIELDS) for r in rows)
        if snap != live:
            yield "the latest revision's snapshot differs from the items"


def _replay_problems(model: Model, rows: list[dict], final_shape) -> Iterator[str]:
    """Where the stored items differ from the replayed log (and the editor's last page)."""
    have = {r["id"]: r for r in rows}
    lost = sorted(set(model.items) - set(have))
    extra = sorted(set(have) - set(model.items))
    if lost:
        yield f"items lost {lost}"
    if extra:
        yield f"items not in the log {extra}"
    if _shape_of(rows) != model.shape():
        yield "order differs from the replayed log"
    if final_shape is not None and final_shape != _shape_of(rows):
        yield "the editor's last page shows another order than the database"
    names = ("parent", "numbered", "heading", "body", "source", "level")
    for pk, item in model.items.items():
        row = have.get(pk)
        if row is None:
            continue
        got = (
            row["parent_id"],
            row["numbered"],
            row["heading"],
            row["body"],
            row["source_paragraph_id"],
            row["level"],
        )
        want = (item.parent, item.numbered, item.heading, item.body, item.source, item.level)
        if got != want:
            diff = [
                f"{n}: {g!r:.60} ≠ {w!r:.60}"
                for n, g, w in zip(names, got, want, strict=True)
                if g != w
            ]
            yield f"item {pk}: " + "; ".join(diff)


def _unit_problems(users) -> Iterator[str]:
    """One library per unit (issue 19): each draft is its owner's unit's, and nothing a drafter
    inserted or used comes from another unit's material (but for 共享 material)."""
    units = dict(Membership.objects.filter(user__in=users).values_list("user_id", "unit_id"))
    drafts = Draft.objects.filter(owner__in=users).values_list("pk", "owner_id", "unit_id")
    for pk, owner, unit in drafts:
        if units.get(owner) != unit:
            yield f"draft {pk} is of unit {unit}, its owner of {units.get(owner)}"
    crossing = (
        DraftItem.objects.filter(draft__owner__in=users, source_paragraph__isnull=False)
        .exclude(source_paragraph__unit_id=F("draft__unit_id"))
        .exclude(source_paragraph__shared=True)
    )
    for pk, draft in crossing.values_list("pk", "draft_id")[:5]:
        yield f"item {pk} of draft {draft} comes from another unit's paragraph"
    for user, unit in units.items():
        uses = MaterialUse.objects.filter(user_id=user)
        foreign = (
            uses.exclude(Q(paragraph__unit_id=unit) | Q(paragraph__shared=True))
            .filter(paragraph__isnull=False)
            .count()
            + uses.exclude(Q(phrase__unit_id=unit) | Q(phrase__shared=True))
            .filter(phrase__isnull=False, phrase__owner__isnull=True)
            .count()
        )
        if foreign:
            yield f"user {user} used {foreign} pieces of another unit's material"


def _share_problems(users, drafters) -> Iterator[str]:
    """Every share is with a member of the draft's unit, never its owner, and is what the
    owners set on the 共享 page (送审 adds none here: it goes to the 审阅 already shared with)."""
    default = default_unit_id()
    units = dict(Membership.objects.values_list("user_id", "unit_id"))
    shares = DraftShare.objects.filter(draft__owner__in=users)
    rows = shares.values_list("pk", "draft_id", "draft__unit_id", "draft__owner_id", "user_id")
    for pk, draft, unit, owner, user in rows:
        if units.get(user, default) != unit:
            yield f"share {pk}: draft {draft} of unit {unit} shared with a member of {units.get(user, default)}"
        if user == owner:
            yield f"share {pk}: draft {draft} shared with its owner"
    made = {
        (e["draft"], e["user"], e["role"]) for d in drafters for e in d.log if e["op"] == "share"
    }
    stored = set(shares.values_list("draft_id", "user__username", "role"))
    if made != stored:
        yield f"shares stored {sorted(stored - made)[:5]}, not made {sorted(made - stored)[:5]}"


def _history_problems(draft: Draft, report: Report) -> Iterator[str]:
    """Who made each revision, and when: the owner or a 协作起草 for text; a flow step by whom
    the flow allowed then (送审 and 撤回 the drafters, 退回修改 and 审核通过 the member it was
    sent to, 退回修改 and 定稿 after 审核通过 a 签发人 of the unit); nothing but flow steps while
    the draft is 待审核, 待定稿 or 已定稿."""
    where = f"draft {draft.pk}"
    writers = {draft.owner_id} | set(
        DraftShare.objects.filter(draft=draft, role=DraftShare.Role.EDIT).values_list(
            "user_id", flat=True
        )
    )
    signers = set(
        Membership.objects.filter(unit_id=draft.unit_id, is_signer=True).values_list(
            "user_id", flat=True
        )
    )
    steps = {s.version: s for s in FlowStep.objects.filter(draft=draft)}
    state, reviewer = Flow.OPEN, None
    revisions = Revision.objects.filter(draft=draft).order_by("version")
    for version, user, action in revisions.values_list("version", "user_id", "action"):
        step = steps.pop(version, None)
        flow_action = FLOW_ACTIONS.get(action)
        if flow_action is None:
            if step is not None:
                yield f"{where}: version {version} is a {step.action} step and a revision “{action}”"
            elif user not in writers:
                yield f"{where}: version {version} (“{action}”) by user {user}, who may not write"
            elif state in LOCKED:
                yield f"{where}: version {version} (“{action}”) changed the text while {state}"
            else:
                report.revisions += 1
            continue
        if step is None or step.action != flow_action or step.user_id != user:
            yield f"{where}: version {version} “{action}” by {user} has no step of its own"
            continue
        report.steps[flow_action] += 1
        allowed, after = {
            FlowStep.Action.SUBMIT: (
                state in (Flow.OPEN, Flow.RETURNED)
                and user in writers
                and step.to_user_id not in (None, user),
                Flow.SUBMITTED,
            ),
            FlowStep.Action.WITHDRAW: (state == Flow.SUBMITTED and user in writers, Flow.OPEN),
            FlowStep.Action.RETURN: (
                (state == Flow.SUBMITTED and user == reviewer)
                or (state == Flow.APPROVED and user in signers),
                Flow.RETURNED,
            ),
            FlowStep.Action.APPROVE: (state == Flow.SUBMITTED and user == reviewer, Flow.APPROVED),
            FlowStep.Action.FINALIZE: (state == Flow.APPROVED and user in signers, Flow.FINAL),
        }[flow_action]
        if not allowed:
            yield f"{where}: version {version} {flow_action} by user {user} while {state}"
        else:
            report.revisions += 1
        state = after
        if flow_action == FlowStep.Action.SUBMIT:
            reviewer = step.to_user_id
    if steps:
        yield f"{where}: flow steps at versions {sorted(steps)} without their revision"
    if draft.flow != state or (state == Flow.SUBMITTED and draft.flow_reviewer_id != reviewer):
        yield f"{where}: is {draft.flow} (reviewer {draft.flow_reviewer_id}), its steps say {state} ({reviewer})"


def _marker_check(drafters, uncertain: set[int], expected: Counter, findings: list[str]) -> int:
    """Every surviving edit's marker exactly once across all drafts; none that was overwritten.
    Returns how many there are."""
    verified = {d.draft for d in drafters if d.draft and d.draft not in uncertain}
    found: Counter = Counter()
    for heading, body in DraftItem.objects.filter(draft__in=verified).values_list(
        "heading", "body"
    ):
        found.update(MARKER.findall(heading + body))
    if found != expected:
        missing = sorted((expected - found).elements())[:5]
        surplus = sorted((found - expected).elements())[:5]
        findings.append(f"edit markers differ: missing {missing}, unexpected {surplus}")
    return sum(found.values())


def check(drafters, users) -> Report:
    report = Report(drafts=len(drafters))
    by_draft: dict[int, list[dict]] = defaultdict(list)
    for d in drafters:
        for entry in d.log:
            by_draft[entry["draft"]].append({**entry, "by": d.username})
    uncertain = set().union(*(d.uncertain for d in drafters)) - {None}
    material = [e for d in drafters for e in d.log if e["op"] == "material"]
    used_paragraphs = {e["source"] for e in material if e["kind"] == "paragraph"}
    used_phrases = {e["source"] for e in material if e["kind"] == "phrase"}
    paragraphs = Paragraph.objects.in_bulk(used_paragraphs)
    phrases = dict(Phrase.objects.filter(pk__in=used_phrases).values_list("pk", "text"))

    for drafter in drafters:
        report.findings.extend(f"{drafter.username}: {p}" for p in drafter.problems)
    owned = Counter(Draft.objects.filter(owner__in=users).values_list("owner__username", flat=True))
    for drafter in drafters:
        if owned.get(drafter.username, 0) != (1 if drafter.draft else 0):
            report.findings.append(
                f"{drafter.username} owns {owned.get(drafter.username, 0)} drafts"
            )
    strangers = set(by_draft) - {d.draft for d in drafters}
    if strangers:
        report.findings.append(f"changes logged in drafts nobody owns: {sorted(strangers)}")
    expected_markers: Counter = Counter()
    for drafter in drafters:
        if drafter.draft is None:
            continue
        entries = by_draft.get(drafter.draft, [])
        model = check_draft(drafter, entries, uncertain, report, paragraphs, phrases)
        if model is not None:
            for item in model.items.values():
                expected_markers.update(MARKER.findall(item.heading + item.body))

    report.markers = _marker_check(drafters, uncertain, expected_markers, report.findings)
    report.findings.extend(_unit_problems(users))
    report.findings.extend(_share_problems(users, drafters))
    for draft in Draft.objects.filter(owner__in=users).order_by("pk"):
        report.findings.extend(_history_problems(draft, report))

    downloaded = [job for d in drafters for job in d.exports]
    report.exports = len(downloaded)
    done = set(
        ExportJob.objects.filter(pk__in=downloaded, status=ExportJob.Status.DONE).values_list(
            "pk", flat=True
        )
    )
    if set(downloaded) - done:
        report.findings.append(f"downloaded export jobs not done: {sorted(set(downloaded) - done)}")
    pending = ExportJob.objects.exclude(status__in=[ExportJob.Status.DONE, ExportJob.Status.FAILED])
    if pending.exists():
        report.findings.append(f"{pending.count()} export jobs still queued or running")
    return report
