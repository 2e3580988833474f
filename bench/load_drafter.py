"""One simulated drafter for bench/load.py: a browser session driven over plain HTTP.

Every request is the one the page or htmx would send (form fields, `current_version` and
`anchor` from hx-include, the CSRF header from hx-headers, HX-Request), and every change the
server accepts is written to the drafter's log with what the server acknowledged (the draft, the
new item's id, the new version), so that bench/load_check.py can replay the logs of everyone who
changed a draft against the database afterwards.

Drafts are shared inside a unit (issue 19): a drafter shares its draft through the 共享 page
with a colleague as 协作起草 and another as 审阅, finds the drafts shared with it in 与我共享的
and 我的待办, and works in them as the editor lets its role: a co-drafter changes the text
alongside the owner (each with a window of the draft, so a change made on a version the other
has moved on from is refused with 409, and the window reloads and tries again, as editor.js
does); a reviewer reads, and its saves are refused (403); the owner sends the draft for 审核
(送审), the reviewer returns it (退回修改) or approves it (审核通过), the unit's 签发人 returns it
or, near the end, marks it 定稿. While a draft is with its reviewer or signer every change of its
text is refused (422). On a draft someone else changes too, those refusals are the server saying
that nothing changed, not errors; on a drafter's unshared draft they are errors as before.

Why threads and http.client rather than locust: locust brings gevent (monkey-patching, a large
dependency tree) for what is here 50 clients that mostly wait on sockets, and its statistics
would not carry the per-drafter operation log the integrity check needs. A thread per drafter
releases the GIL while it waits, and the standard library needs nothing installed.
"""

from __future__ import annotations

import html
import http.client
import json
import random
import re
import threading
import time
import traceback
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

SEARCH_TERMS = (
    "能力作风",
    "营商环境",
    "干部队伍",
    "乡村振兴",
    "项目建设",
    "高质量发展",
    "招商引资",
    "产业",
    "改革",
    "民生",
    "生态",
    "作风建设",
    "担当",
    "落实",
    "创新",
    "安全",
)
SENTENCES = (
    "要坚持问题导向，聚焦企业群众急难愁盼，持续优化营商环境。",
    "各级各部门要压实责任，确保各项部署落到实处、见到实效。",
    "要把项目建设作为稳增长的主抓手，抓签约、抓开工、抓投产。",
    "要以钉钉子精神抓落实，一件事情接着一件事情办。",
    "要守牢安全生产底线，坚决防范遏制重特大事故发生。",
    "要强化作风保障，以实干实绩检验能力作风建设成效。",
)
STALE = "此稿已在其他窗口修改"
EXPORT_POLL_LIMIT = 90.0  # seconds from the click; the status polls every second like htmx
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_OUTLINE_TOKEN = re.compile(r'<ol\b([^>]*)>|</ol>|<li class="item ([^"]*)" data-id="(\d+)"')
_VERSION = re.compile(r'id="draft-version" name="current_version" value="(\d+)"')
_CSRF_HEADER = re.compile(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'")
_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_STATIC = re.compile(r'(?:href|src)="(/static/[^"]+)"')
# The editor page's flow bar (templates/drafts/_flow.html): where the draft stands, the user's
# role, and the steps the page offers this user now.
_FLOW = re.compile(r'class="flow-bar flow-(\w+)"')
_ROLE = re.compile(r"· 您是(起草人|协作起草|审阅|签发人)</span>")
_FLOW_FORM = re.compile(r'hx-post="/drafts/\d+/flow/(\w+)/"')
ROLES = {"起草人": "owner", "协作起草": "edit", "审阅": "review", "签发人": "signer"}
# 与我共享的 and 我的待办 on the home page (templates/drafts/list.html).
_DRAFT_LINK = re.compile(r'<a href="/drafts/(\d+)/">')
_TODO = re.compile(
    r'<li><a href="/drafts/(\d+)/">[^<]*</a> <span class="badge flow-badge[^"]*">待([^<]+)</span>'
)
# The 共享 page (templates/drafts/sharing.html): one row per colleague of the unit.
_SHARE_ROW = re.compile(r'<tr data-user="([^"]+)">.*?name="user" value="(\d+)"(.*?)</tr>', re.S)
_ALERT = re.compile(r'role="alert">([^<]*)<')
_ITEM_IN_PATH = re.compile(r"/items/(\d+)/")
# Why a change on a shared draft was refused with nothing changed (drafts/errors.py,
# services.ItemMissing): another window changed the draft, it is with its reviewer or signer
# (or 定稿), or the item is gone (another drafter deleted it, or the part it was in).
CONFLICT = "已在其他窗口修改"
FROZEN = ("暂不能修改", "不能再修改")
ITEM_GONE = "找不到该段落"
LOCKED_FLOWS = ("submitted", "approved", "final")


class OpFailed(Exception):
    """A request whose answer was not the expected one (already counted as an error)."""

    def __init__(self, detail: str, *, refused: bool = False) -> None:
        super().__init__(detail)
        # refused: a 409/422 the server documents as "nothing changed"; otherwise the outcome
        # of the request is unknown and the draft can no longer be checked exactly.
        self.refused = refused


class Refused(Exception):
    """A change to a draft that others change too, refused by the server with nothing changed
    (already counted, as expected): `kind` conflict (409: the window reloads the document and
    the drafter does it again), locked (422: with its reviewer or signer, or 定稿; the page
    reloads) or gone (404/422: the item it was on was deleted; the window reloads)."""

    def __init__(self, kind: str, item: int | None) -> None:
        super().__init__(kind)
        self.kind, self.item = kind, item


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    ms: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Stats:
    """Latencies per operation and the error list, shared by every drafter thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {}
        self.ended: dict[str, list[float]] = {}
        self.failures: dict[str, int] = {}
        self.errors: list[str] = []
        self.deliberate: dict[str, int] = {}
        self.counts: dict[str, int] = {}  # what happened on shared drafts (see Drafter.tally)
        self.requests = 0

    def record(self, op: str, ms: float) -> None:
        with self.lock:
            self.latency.setdefault(op, []).append(ms)
            self.ended.setdefault(op, []).append(time.monotonic())
            self.requests += 1

    def since(self, op: str, moment: float) -> list[float]:
        """Latencies of the requests that ended after `moment`."""
        pairs = zip(self.latency.get(op, []), self.ended.get(op, []), strict=True)
        return [ms for ms, ended in pairs if ended > moment]

    def error(self, op: str, detail: str) -> None:
        with self.lock:
            self.failures[op] = self.failures.get(op, 0) + 1
            self.errors.append(f"{op}: {detail}")

    def expected_refusal(self, what: str) -> None:
        with self.lock:
            self.deliberate[what] = self.deliberate.get(what, 0) + 1

    def tally(self, what: str, n: int = 1) -> None:
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + n


class Http:
    """A cookie-keeping HTTP/1.1 client, one connection per request (gunicorn's sync workers
    close the connection after each response, as a browser behind them would see)."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.origin = f"http://{host}:{port}"
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, data: dict | None = None, headers: dict | None = None
    ) -> Response:
        body = urlencode(data).encode() if data is not None else None
        sent = {"Host": f"{self.host}:{self.port}", "User-Agent": "speechdraft-load/1"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        start = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            raw = response.read()
        finally:
            conn.close()
        ms = (time.perf_counter() - start) * 1000
        for header in response.headers.get_all("Set-Cookie") or ():
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Response(response.status, response.headers, raw, ms)


def parse_outline(text: str) -> dict[int, tuple[int | None, bool, int]] | None:
    """The outline in a page or fragment: item id → (parent id, numbered, index)."""
    start = text.find('<div id="document"')
    if start < 0:
        return None
    items: dict[int, tuple[int | None, bool, int]] = {}
    stack: list[int | bool | None] = []  # per open <ol>: its data-parent, or False if not outline
    counts: dict[int | None, int] = {}
    for match in _OUTLINE_TOKEN.finditer(text, start):
        attrs, classes, item = match.groups()
        if match.group(0) == "</ol>":
            if stack:
                stack.pop()
            if not stack:
                break
        elif item is None:
            if 'class="outline' in attrs:
                parent = re.search(r'data-parent="(\d*)"', attrs)[1]
                stack.append(int(parent) if parent else None)
            else:
                stack.append(False)
        elif stack and stack[-1] is not False:
            parent = stack[-1]
            index = counts.get(parent, 0)
            counts[parent] = index + 1
            items[int(item)] = (parent, "numbered" in classes.split(), index)
    return items


class Tree:
    """The drafter's view of the outline, as the last server response showed it."""

    def __init__(self, items: dict[int, tuple[int | None, bool, int]]) -> None:
        self.parent = {i: p for i, (p, _, _) in items.items()}
        self.numbered = {i: n for i, (_, n, _) in items.items()}
        self.children: dict[int | None, list[int]] = {None: []}
        for i, (p, _, _) in sorted(items.items(), key=lambda kv: kv[1][2]):
            self.children.setdefault(p, []).append(i)

    def ids(self) -> list[int]:
        return list(self.parent)

    def depth(self, item: int | None) -> int:
        level = 0
        while item is not None:
            level += self.numbered[item]
            item = self.parent[item]
        return level

    def shape(self) -> dict[int | None, list[int]]:
        return {p: list(c) for p, c in self.children.items() if c}


@dataclass
class Window:
    """One draft open in the drafter's browser, as its page showed it last."""

    draft: int
    role: str  # owner, edit, review or signer: the flow bar's 您是…
    contended: bool  # someone else may change it too (see Refused)
    version: int = 0
    tree: Tree | None = None
    flow: str = "open"
    steps: frozenset[str] = frozenset()  # the flow steps the page offers: submit, return, …
    results: list[tuple[str, int, bool]] = field(default_factory=list)
    own: set[int] = field(default_factory=set)  # items this drafter added here

    @property
    def frozen(self) -> bool:
        return self.flow in LOCKED_FLOWS


REFUSAL_LABELS = {
    "conflict": "shared draft changed in another window → 409, reloaded and done again",
    "locked": "change while 待审核 / 待定稿 / 已定稿 → 422",
    "gone": "item deleted by another drafter → 404 (422 as an anchor)",
}
TALLIES = {
    "conflict": "conflicts (409)",
    "locked": "changes refused on a locked draft (422)",
    "gone": "changes on an item another drafter had deleted (404/422)",
}
FLOW_NAMES = {
    "submit": "送审",
    "withdraw": "撤回",
    "return": "退回修改",
    "approve": "审核通过",
    "finalize": "定稿",
}
FLOW_NOTES = {"submit": "请审核。", "return": "请按意见修改后再送审。", "approve": "同意。"}


@dataclass
class Drafter:
    index: int
    username: str
    password: str
    http: Http
    stats: Stats
    deadline: float
    think: float
    rng: random.Random
    # Colleagues of the unit to share the own draft with on the 共享 page: (username, role).
    share_with: tuple[tuple[str, str], ...] = ()
    endgame: float = float("inf")  # from then on a 签发人 marks drafts 定稿 instead of returning
    draft: int | None = None  # the drafter's own draft
    csrf: str = ""
    windows: dict[int, Window] = field(default_factory=dict)
    here: Window | None = None  # the window the current action works in
    reviewer: int | None = None  # the user id the own draft is shared with as 审阅
    log: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # client-side integrity findings
    uncertain: set[int] = field(default_factory=set)  # drafts where an outcome is unknown
    final_shape: dict | None = None
    exports: list[int] = field(default_factory=list)
    export_ms: list[float] = field(default_factory=list)
    edits: int = 0
    ready_at: float | None = None  # logged in, draft created and shared

    # --- plumbing -------------------------------------------------------------------------

    def call(
        self,
        op: str,
        method: str,
        path: str,
        data: dict | None = None,
        *,
        headers: dict | None = None,
        expect: tuple[int, ...] = (200,),
        deliberate: tuple[int, ...] = (),
        refusable: bool = False,
    ) -> Response:
        """One request. `refusable`: a change on a draft others change too, where the server's
        409 / 422 / 404 saying that nothing changed is expected (raises Refused)."""
        # Named in gunicorn's access log, for the server's own time per operation.
        headers = {**(headers or {}), "X-Load-Op": op}
        try:
            response = self.http.request(method, path, data, headers)
        except (OSError, http.client.HTTPException) as exc:
            self.stats.error(op, f"{method} {path}: {type(exc).__name__}: {exc}")
            raise OpFailed(str(exc)) from None
        self.stats.record(op, response.ms)
        if response.status in expect or response.status in deliberate:
            return response
        kind = _refusal(response, path) if refusable else None
        if kind is not None:
            self.stats.expected_refusal(REFUSAL_LABELS[kind])
            self.tally(TALLIES[kind])
            anchor = (data or {}).get("anchor")
            found = _ITEM_IN_PATH.search(path)
            item = int(found[1]) if found else int(anchor) if anchor else None
            raise Refused(kind, item)
        snippet = re.sub(r"\s+", " ", response.text)[:300]
        alert = _ALERT.search(response.text)
        if alert:  # the page's own words first
            snippet = f"{html.unescape(alert[1])} | {snippet}"
        self.stats.error(op, f"{method} {path} → {response.status}: {snippet}")
        raise OpFailed(f"{response.status}", refused=response.status in (409, 422))

    def tally(self, what: str) -> None:
        self.stats.tally(what)

    def change(self, op: str, path: str, data: dict) -> Response:
        """A change through the editor: an htmx POST whose answer replaces #document."""
        return self.call(
            op, "POST", path, data, headers=self.hx("document"), refusable=self.here.contended
        )

    def hx(self, target: str) -> dict:
        url = f"{self.http.origin}/drafts/{self.here.draft}/"
        return {
            "HX-Request": "true",
            "HX-Current-URL": url,
            "HX-Target": target,
            "X-CSRFToken": self.csrf,
            "Origin": self.http.origin,
            "Referer": url,
        }

    def live(self, anchor: int | None = None) -> dict:
        """What hx-include="#draft-version, #anchor" adds to every editor request."""
        return {"current_version": self.here.version, "anchor": anchor or ""}

    def accept(self, response: Response, entry: dict, *, outline: bool = True) -> None:
        """A change the server accepted: check the version moved by one, keep the outline."""
        w = self.here
        match = _VERSION.search(response.text)
        version = int(match[1]) if match else None
        if version != w.version + 1:
            self.problems.append(
                f"{entry['op']} in draft {w.draft} answered version {version}, "
                f"expected {w.version + 1}"
            )
        w.version = version or w.version + 1
        self.logged(entry, w.version)
        if outline:
            parsed = parse_outline(response.text)
            if parsed is None:
                self.problems.append(f"{entry['op']} answered without the document")
            else:
                w.tree = Tree(parsed)

    def logged(self, entry: dict, version: int) -> None:
        """An accepted change of the current window's draft, made version `version`."""
        w = self.here
        entry["draft"], entry["v"] = w.draft, version
        self.log.append(entry)
        if w.contended:
            self.tally(
                "changes on shared drafts by " + ("owners" if w.role == "owner" else "协作起草")
            )

    def pause(self) -> None:
        time.sleep(self.think * self.rng.uniform(0.5, 1.5))

    # --- session --------------------------------------------------------------------------

    def login(self) -> None:
        page = self.call("page", "GET", "/accounts/login/")
        token = _CSRF_FIELD.search(page.text)[1]
        data = {
            "csrfmiddlewaretoken": token,
            "username": self.username,
            "password": self.password,
            "next": "",
        }
        headers = {"Origin": self.http.origin, "Referer": f"{self.http.origin}/accounts/login/"}
        response = self.call(
            "login", "POST", "/accounts/login/", data, headers=headers, expect=(302,)
        )
        self.call("page", "GET", response.headers["Location"])

    def create_draft(self) -> None:
        page = self.call("page", "GET", "/drafts/new/")
        skeletons = re.findall(r'name="skeleton" value="(\d*)"', page.text)
        data = {
            "csrfmiddlewaretoken": _CSRF_FIELD.search(page.text)[1],
            "title": f"压测讲话稿 {self.username}",
            "meeting_name": "全市能力作风建设推进会",
            "speaker": "张三",
            "date": "2026-03-05",
            "region": "江城",
            "skeleton": self.rng.choice(skeletons) if self.index % 2 else "",
        }
        headers = {"Origin": self.http.origin, "Referer": f"{self.http.origin}/drafts/new/"}
        response = self.call(
            "create draft", "POST", "/drafts/new/", data, headers=headers, expect=(302,)
        )
        self.draft = int(re.search(r"/drafts/(\d+)/", response.headers["Location"])[1])
        self.here = self.windows[self.draft] = Window(self.draft, "owner", contended=False)
        self.open_editor(first=True)

    def share(self) -> None:
        """共享: the own draft to colleagues of the unit, as the 共享 page's form posts it."""
        if not self.share_with:
            return
        path = f"/drafts/{self.draft}/sharing/"
        page = self.call("sharing page", "GET", path)
        ids = {name: int(pk) for name, pk, _ in _SHARE_ROW.findall(page.text)}
        headers = {"Origin": self.http.origin, "Referer": f"{self.http.origin}{path}"}
        for name, role in self.share_with:
            if name not in ids:
                self.problems.append(f"the 共享 page does not offer {name}")
                continue
            data = {
                "csrfmiddlewaretoken": _CSRF_FIELD.search(page.text)[1],
                "user": ids[name],
                "role": role,
            }
            response = self.call("share", "POST", path, data, headers=headers, expect=(302,))
            self.log.append({"op": "share", "draft": self.draft, "user": name, "role": role})
            self.here.contended = True
            self.tally(f"shares as {'协作起草' if role == 'edit' else '审阅'}")
            if role == "review":
                self.reviewer = ids[name]
            page = self.call("sharing page", "GET", response.headers["Location"])
            row = next((rest for n, _, rest in _SHARE_ROW.findall(page.text) if n == name), "")
            if f'<option value="{role}" selected>' not in row:
                self.problems.append(f"the 共享 page does not show {name} as {role}")

    def open_editor(self, *, first: bool = False) -> None:
        """The editor page of the current window's draft (a reload): version, outline, the
        flow bar (where the draft stands, the user's role, the steps offered)."""
        w = self.here
        page = self.call("page", "GET", f"/drafts/{w.draft}/")
        text = page.text
        match = _CSRF_HEADER.search(text)
        self.csrf = match[1]
        w.version = int(_VERSION.search(text)[1])
        w.tree = Tree(parse_outline(text))
        flow, role = _FLOW.search(text), _ROLE.search(text)
        w.flow = flow[1] if flow else "open"
        w.role = ROLES[role[1]] if role else ""
        w.steps = frozenset(_FLOW_FORM.findall(text))
        if first:
            entry = {"op": "open", "draft": w.draft, "v": w.version}
            self.log.append(entry | {"shape": _plain(w.tree.shape())})
            for path in sorted(set(_STATIC.findall(text))):
                response = self.call("static", "GET", path)
                if not response.body:
                    self.stats.error("static", f"GET {path}: empty body")

    def refresh(self) -> None:
        """What editor.js does after a 409 or an autosave that says others changed the draft:
        the document as it is now, around what is typed (GET …/document/)."""
        w = self.here
        response = self.call(
            "refresh", "GET", f"/drafts/{w.draft}/document/", headers=self.hx("document")
        )
        w.version = int(_VERSION.search(response.text)[1])
        w.tree = Tree(parse_outline(response.text))

    def open_window(self, pk: int) -> Window:
        """A draft found in 与我共享的 or 我的待办, opened in the editor."""
        previous, self.here = self.here, Window(pk, "", contended=True)
        try:
            self.open_editor()
            self.windows[pk] = self.here
            return self.here
        finally:
            self.here = previous

    def look_around(self) -> None:
        """The home page's 与我共享的 (drafts newly shared are opened) and 我的待办 (a draft
        waiting for this user's 审核 or 定稿 is read and decided)."""
        page = self.call("shared list", "GET", "/?scope=shared")
        todo = {int(pk): what for pk, what in _TODO.findall(page.text)}
        listed = {int(pk) for pk in _DRAFT_LINK.findall(page.text)} - {self.draft}
        for pk in sorted(listed - set(self.windows)):
            self.open_window(pk)
        waiting = [pk for pk, what in todo.items() if what in ("审核", "定稿")]
        if waiting:
            pk = self.rng.choice(waiting)
            self.here = self.windows.get(pk) or self.open_window(pk)
            self.decide()

    # --- editor actions -------------------------------------------------------------------

    def search(self) -> None:
        w = self.here
        term = self.rng.choice(SEARCH_TERMS)
        query = urlencode({"q": term, "kind": "", "role": ""})
        response = self.call(
            "search",
            "GET",
            f"/drafts/{w.draft}/library/?{query}",
            headers=self.hx("library-results"),
        )
        w.results = []
        for block in re.findall(r'<li class="result">(.*?)</li>', response.text, re.S):
            found = re.search(r'name="(paragraph|phrase)" value="(\d+)"', block)
            if found:
                meta = block.split("</div>", 1)[0]
                w.results.append((found[1], int(found[2]), "<strong>" in meta))

    def insert_material(self) -> None:
        w = self.here
        if not w.results:
            self.search()
            if not w.results:
                return
        kind, source, has_heading = self.rng.choice(w.results)
        tree = w.tree
        if kind == "paragraph" and has_heading:
            # Becomes a numbered point: under a numbered anchor, or after an item inside one.
            anchors = [
                i
                for i in tree.ids()
                if (tree.depth(i) < 4 if tree.numbered[i] else tree.depth(tree.parent[i]) < 4)
            ]
        else:
            anchors = tree.ids()
        if not anchors:
            return
        anchor = self.rng.choice(anchors)
        before = set(tree.ids())
        data = {
            "csrfmiddlewaretoken": self.csrf,
            "version": w.version,
            kind: source,
            **self.live(anchor),
        }
        response = self.change("insert library", f"/drafts/{w.draft}/material/", data)
        entry = {"op": "material", "kind": kind, "source": source, "anchor": anchor}
        self.accept(response, entry)
        new = set(w.tree.ids()) - before
        if len(new) != 1 or len(w.tree.ids()) != len(before) + 1:
            self.problems.append(f"material insert changed the outline by {sorted(new)}")
        entry["item"] = next(iter(new)) if len(new) == 1 else None
        if entry["item"]:
            w.own.add(entry["item"])

    def insert_own(self) -> None:
        """添加要点 or 添加段落 from the item the cursor is in, then typing into the new item
        (autosave), as the editor does: the answer names the new item (data-focus)."""
        w = self.here
        tree = w.tree
        if not tree.ids():
            return
        points = [
            i
            for i in tree.ids()
            if (tree.numbered[i] or tree.parent[i] is not None)
            and tree.depth(i if tree.numbered[i] else tree.parent[i]) < 4
        ]
        kind = "point" if points and self.rng.random() < 0.25 else "paragraph"
        anchor = self.rng.choice(points if kind == "point" else tree.ids())
        before = set(tree.ids())
        data = {
            "csrfmiddlewaretoken": self.csrf,
            "version": w.version,
            "kind": kind,
            **self.live(anchor),
        }
        response = self.change("insert", f"/drafts/{w.draft}/items/", data)
        entry = {"op": "insert", "kind": kind, "anchor": anchor}
        self.accept(response, entry)
        match = re.search(r'id="document"[^>]*data-focus="(\d+)"', response.text)
        item = int(match[1]) if match else None
        if item is None or set(w.tree.ids()) - before != {item}:
            self.problems.append(
                f"insert answered item {item}, outline gained {sorted(set(w.tree.ids()) - before)}"
            )
        entry["item"] = item
        if item is None:
            return
        w.own.add(item)
        self.pause()
        self.type_into(item, new_heading=kind == "point")

    def type_into(self, item: int | None = None, *, new_heading: bool | None = None) -> None:
        """Text typed into an item on the page, saved by the editor's autosave (JSON). On a
        shared draft the save lands on a version the page has not seen when nobody else
        changed this item (the page then reloads the rest); when someone did, 409 shows what
        they saved, and the drafter keeps theirs (the page reloads) or presses 仍然保存我的修改."""
        w = self.here
        if not w.tree.ids():
            return
        if item is None:
            item = self.rng.choice(w.tree.ids())
        if new_heading is None:
            new_heading = w.tree.numbered[item] and self.rng.random() < 0.3
        self.edits += 1
        marker = f"〔{self.username}-{self.edits:04d}〕"
        body = marker + "\n".join(self.rng.sample(SENTENCES, self.rng.randint(1, 3)))
        sent = w.version
        data = {"version": sent, "body": body}
        heading = None  # the page sends a heading only when the drafter typed into it
        if new_heading:
            heading = f"{marker}要点"
            data["heading"] = heading
        headers = {**self.hx("document"), "Accept": "application/json"}
        path = f"/drafts/{w.draft}/items/{item}/save/"
        expect = (200, 409) if w.contended else (200,)
        response = self.call(
            "autosave", "POST", path, data, headers=headers, expect=expect, refusable=w.contended
        )
        if response.status == 409:
            answer = json.loads(response.text)
            if "conflict" not in answer or CONFLICT not in answer.get("error", ""):
                self.stats.error("autosave", f"409 without the conflict: {response.text[:200]}")
                raise OpFailed("409", refused=True)
            self.stats.expected_refusal("autosave over an item another drafter changed → 409")
            self.tally("conflicts (409)")
            if self.rng.random() < 0.5:  # 改用另一窗口的内容: the page reloads the document
                self.tally("conflicts: the other drafter's text kept")
                self.refresh()
                return
            self.tally("conflicts: 仍然保存我的修改")
            sent = answer["version"]
            data |= {"version": sent, "force": "1"}
            response = self.call("autosave", "POST", path, data, headers=headers, refusable=True)
        answer = json.loads(response.text)
        version, refresh = answer.get("version"), bool(answer.get("refresh"))
        # Another window's change in between (only on a shared draft): the version jumps, and
        # the answer says so.
        if (
            not isinstance(version, int)
            or version < sent + 1
            or refresh != (version != sent + 1)
            or (refresh and not w.contended)
        ):
            self.problems.append(f"autosave of {item} on {sent} answered {version}, {refresh}")
            version = version if isinstance(version, int) else w.version + 1
        w.version = version
        self.logged({"op": "edit", "item": item, "heading": heading, "body": body}, version)
        if "statusbar" not in answer:
            self.problems.append(f"autosave of {item} answered without the status bar")
        if refresh:
            self.refresh()

    def edit(self) -> None:
        w = self.here
        if not w.tree.ids():
            return
        item = self.rng.choice(w.tree.ids())
        response = self.call(
            "edit form",
            "GET",
            f"/drafts/{w.draft}/items/{item}/edit/",
            headers=self.hx(f"item-{item}"),
            refusable=w.contended,
        )
        self.pause()
        self.save(item, response.text, new_heading=self.rng.random() < 0.3)

    def save(self, item: int, form: str, *, new_heading: bool) -> None:
        """Type new text into the open editor and press 保存. On a shared draft someone may have
        changed it since: 409, the page reloads the document, and the drafter presses 仍然保存
        我的修改 (the version the answer names) or 放弃修改并刷新."""
        w = self.here
        self.edits += 1
        marker = f"〔{self.username}-{self.edits:04d}〕"
        lines = self.rng.sample(SENTENCES, self.rng.randint(1, 3))
        body = marker + "\n".join(lines)
        data = {
            "csrfmiddlewaretoken": _CSRF_FIELD.search(form)[1],
            "version": re.search(r'name="version" value="(\d+)"', form)[1],
        }
        heading_input = re.search(r'<input type="text" name="heading" value="([^"]*)"', form)
        heading = ""
        if heading_input:
            heading = f"{marker}要点" if new_heading else html.unescape(heading_input[1])
            data["heading"] = heading
        data |= {"body": body, **self.live()}
        path = f"/drafts/{w.draft}/items/{item}/edit/"
        response = self.call(
            "edit save",
            "POST",
            path,
            data,
            headers=self.hx(f"item-{item}"),
            expect=(200, 409) if w.contended else (200,),
            refusable=w.contended,
        )
        if response.status == 409:
            alert = _ALERT.search(response.text)
            forced = re.search(r'name="force_version" value="(\d+)"', response.text)
            if not (alert and CONFLICT in alert[1] and forced):
                self.stats.error("edit save", "409 without the stale message and 仍然保存")
                raise OpFailed("409", refused=True)
            self.stats.expected_refusal("保存 over a draft another drafter changed → 409")
            self.tally("conflicts (409)")
            self.refresh()  # editor.js after any 409
            if self.rng.random() < 0.5:
                self.tally("conflicts: the other drafter's text kept")
                return
            self.tally("conflicts: 仍然保存我的修改")
            data["force_version"] = forced[1]
            w.version = int(forced[1])  # the version the save is made over
            response = self.call(
                "edit save",
                "POST",
                path,
                data,
                headers=self.hx(f"item-{item}"),
                refusable=True,
            )
        entry = {"op": "edit", "item": item, "heading": heading, "body": body}
        self.accept(response, entry, outline=False)
        hints = re.search(
            r'hx-get="(/drafts/\d+/review/items/\d+/)" hx-trigger="load"', response.text
        )
        if hints:  # the saved row asks for its review hints as soon as it is on the page
            self.call(
                "review hints",
                "GET",
                hints[1],
                headers=self.hx(f"hints-{item}"),
                deliberate=(404,) if w.contended else (),  # deleted by then in another window
            )
        else:
            self.problems.append(f"saved row of item {item} does not ask for review hints")

    def step(self) -> None:
        w = self.here
        tree = w.tree
        movable = [i for i in tree.ids() if len(tree.children[tree.parent[i]]) > 1]
        if not movable:
            return
        item = self.rng.choice(movable)
        siblings = tree.children[tree.parent[item]]
        index = siblings.index(item)
        delta = -1 if index == len(siblings) - 1 or (index > 0 and self.rng.random() < 0.5) else 1
        action = "up" if delta < 0 else "down"
        data = {"csrfmiddlewaretoken": self.csrf, "version": w.version, **self.live(item)}
        response = self.change("move up/down", f"/drafts/{w.draft}/items/{item}/{action}/", data)
        self.accept(response, {"op": "step", "item": item, "delta": delta})

    def drag(self) -> None:
        w = self.here
        tree = w.tree
        if not tree.ids():
            return
        item = self.rng.choice(tree.ids())
        parent = tree.parent[item]
        if not tree.numbered[item] and self.rng.random() < 0.4:
            # A plain paragraph dragged into another part (or out to the top level).
            targets = [None, *(i for i in tree.ids() if tree.numbered[i])]
            targets = [t for t in targets if t != parent]
            parent = self.rng.choice(targets) if targets else parent
        siblings = [i for i in tree.children.get(parent, []) if i != item]
        position = self.rng.randint(0, len(siblings))
        if parent == tree.parent[item] and tree.children[parent].index(item) == position:
            return  # dropped where it was: the page sends nothing
        data = {"parent": parent or "", "position": position, **self.live(item)}
        response = self.change("move drag", f"/drafts/{w.draft}/items/{item}/move/", data)
        self.accept(response, {"op": "move", "item": item, "parent": parent, "position": position})

    def delete(self) -> None:
        w = self.here
        present = sorted(w.own & set(w.tree.ids()))
        if not present:
            return
        item = self.rng.choice(present)
        data = {"csrfmiddlewaretoken": self.csrf, "version": w.version, **self.live(item)}
        response = self.change("delete", f"/drafts/{w.draft}/items/{item}/delete/", data)
        self.accept(response, {"op": "delete", "item": item})

    def stale(self) -> None:
        """A 上移 from a window that missed the last change: must be refused, nothing changed."""
        w = self.here
        if w.version < 2 or not w.tree.ids():
            return
        item = self.rng.choice(w.tree.ids())
        old = w.version - 1
        data = {
            "csrfmiddlewaretoken": self.csrf,
            "version": old,
            "current_version": old,
            "anchor": item,
        }
        response = self.call(
            "stale (409 expected)",
            "POST",
            f"/drafts/{w.draft}/items/{item}/up/",
            data,
            headers=self.hx("document"),
            expect=(409,),
            refusable=w.contended,  # locked (422) comes first, a vanished item (404) too
        )
        if STALE not in response.text:
            self.stats.error("stale (409 expected)", "409 without the stale-draft message")
        self.stats.expected_refusal("stale version → 409 此稿已在其他窗口修改")

    def export(self) -> None:
        w = self.here
        start = time.perf_counter()
        profile = self.rng.choice(("gongwen", "large"))
        data = {"csrfmiddlewaretoken": self.csrf, "profile": profile, **self.live()}
        path = f"/drafts/{w.draft}/export/"
        # 286 (stop polling): the job was already done when the answer was rendered.
        response = self.call(
            "export start",
            "POST",
            path,
            data,
            headers=self.hx("export-status"),
            expect=(200, 286),
            deliberate=(422,),
        )
        if response.status == 422:
            # Unfilled slots: the page offers 仍然导出征求意见稿 (×××), which the user clicks.
            self.stats.expected_refusal("export with unfilled slots → 422, then 征求意见稿")
            data["placeholders"] = "1"
            response = self.call(
                "export start",
                "POST",
                path,
                data,
                headers=self.hx("export-status"),
                expect=(200, 286),
            )
        fragment = response.text
        while True:
            download = re.search(r'href="(/exports/(\d+)/download/)"', fragment)
            if download:
                break
            if "status-failed" in fragment:
                message = re.sub(r"<[^>]+>|\s+", " ", fragment)[:200]
                self.stats.error("export", f"job failed: {message}")
                raise OpFailed("export failed", refused=True)
            poll = re.search(r'hx-get="(/exports/\d+/status/)"', fragment)
            if not poll or time.perf_counter() - start > EXPORT_POLL_LIMIT:
                self.stats.error("export", f"no result after {time.perf_counter() - start:.0f} s")
                raise OpFailed("export timed out", refused=True)
            time.sleep(1.0)  # hx-trigger="every 1s"
            fragment = self.call(
                "export poll", "GET", poll[1], headers=self.hx("export-status"), expect=(200, 286)
            ).text
        file = self.call("download", "GET", download[1])
        kind = file.headers.get("Content-Type", "")
        if kind != DOCX or not file.body.startswith(b"PK"):
            self.stats.error("download", f"not a .docx: {kind}, {file.body[:20]!r}")
        self.exports.append(int(download[2]))
        self.export_ms.append((time.perf_counter() - start) * 1000)

    # --- reviewing and the flow -----------------------------------------------------------

    def read(self) -> None:
        """A 审阅 reads: the page, or the document as the page reloads it."""
        if self.rng.random() < 0.5:
            self.open_editor()
        else:
            self.refresh()
        self.tally("reviewer reads")

    def review_write(self) -> None:
        """A 审阅 types into the page (or presses 上移) anyway: 403, nothing changes."""
        w = self.here
        if not w.tree.ids():
            return
        item = self.rng.choice(w.tree.ids())
        if self.rng.random() < 0.5:
            path = f"/drafts/{w.draft}/items/{item}/save/"
            data = {"version": w.version, "body": f"〔审阅{self.username}〕{SENTENCES[0]}"}
            headers = {**self.hx("document"), "Accept": "application/json"}
        else:
            path = f"/drafts/{w.draft}/items/{item}/up/"
            data = {"csrfmiddlewaretoken": self.csrf, "version": w.version, **self.live(item)}
            headers = self.hx("document")
        self.call(
            "reviewer write (403 expected)", "POST", path, data, headers=headers, expect=(403,)
        )
        self.stats.expected_refusal("审阅 saving or moving → 403")
        self.tally("reviewer writes refused (403)")

    def flow_step(self, step: str, extra: dict | None = None) -> None:
        """A button of the flow bar, pressed on the page just (re)loaded: the answer sends the
        page back to the editor (HX-Redirect). If the draft moved on meanwhile (409), the page
        reloads and the drafter presses it again if it is still offered."""
        w = self.here
        for attempt in (1, 2):
            data = {
                "csrfmiddlewaretoken": self.csrf,
                "version": w.version,
                **(extra or {}),
                **self.live(),
            }
            try:
                response = self.call(
                    f"flow {step}",
                    "POST",
                    f"/drafts/{w.draft}/flow/{step}/",
                    data,
                    headers=self.hx("flow-bar"),
                    expect=(204,),
                    refusable=True,
                )
            except Refused as exc:
                if exc.kind != "conflict":
                    raise
                self.open_editor()
                if step not in w.steps or attempt == 2:
                    return
                continue
            break
        self.log.append({"op": "flow", "draft": w.draft, "action": step})
        self.tally(f"flow steps: {FLOW_NAMES[step]}")
        # The signer's role on the draft ends with 退回修改: the answer sends them home, and
        # the editor no longer exists for them. Everyone else goes back to the draft.
        ends_role = w.role == "signer" and step == "return"
        target = "/" if ends_role else f"/drafts/{w.draft}/"
        if response.headers.get("HX-Redirect") != target:
            self.problems.append(
                f"flow {step} answered {response.headers.get('HX-Redirect')}, not {target}"
            )
        if ends_role:
            self.call("page", "GET", f"/drafts/{w.draft}/", expect=(404,))
            self.windows.pop(w.draft, None)
            self.here = self.windows[self.draft]
            return
        self.open_editor()

    def submit(self) -> None:
        """送审 to the colleague the draft is shared with as 审阅, from the page as it is now."""
        self.open_editor()
        if "submit" in self.here.steps and self.reviewer is not None:
            self.flow_step("submit", {"reviewer": self.reviewer, "note": FLOW_NOTES["submit"]})

    def withdraw(self) -> None:
        self.open_editor()
        if "withdraw" in self.here.steps:
            self.flow_step("withdraw")

    def decide(self) -> None:
        """审核 (or 定稿): read the page, then 退回修改 or 审核通过; a 签发人 returns it, or
        near the end of the run marks it 定稿."""
        self.open_editor()
        w = self.here
        if "return" not in w.steps:
            return
        self.pause()  # reading it
        if w.role == "signer":  # 确认定稿 is offered only once every blank is filled
            endgame = "finalize" in w.steps and time.monotonic() > self.endgame
            step = "finalize" if endgame else "return"
        else:
            step = "approve" if self.rng.random() < 0.4 else "return"
        self.flow_step(step, {"note": FLOW_NOTES[step]} if step in FLOW_NOTES else None)

    # --- the session ----------------------------------------------------------------------

    ACTIONS = (
        ("search", 20),
        ("insert_material", 14),
        ("insert_own", 12),
        ("type_into", 14),  # typing on the page, autosaved
        ("edit", 4),  # the plain form (no JavaScript)
        ("step", 12),
        ("drag", 10),
        ("delete", 5),
        ("open_editor", 3),
        ("export", 3),
        ("stale", 3),
    )
    # While the page says the text cannot change (待审核, 待定稿, 已定稿): mostly reading and
    # reloading; a change now and then from a page that had not caught up (422).
    FROZEN_ACTIONS = (
        ("open_editor", 4),
        ("search", 3),
        ("withdraw", 1),
        ("type_into", 1),
        ("step", 1),
    )
    REVIEW_ACTIONS = (("read", 6), ("search", 2), ("review_write", 2))
    # The share of actions that visit the home page's lists: more until a draft shared with the
    # drafter turned up there.
    LOOK_AROUND = (0.3, 0.1)

    def choose(self) -> tuple[Window, str]:
        """A window (the own draft most of the time, else one shared with the drafter), and
        what to do in it."""
        shared = [w for w in self.windows.values() if w.role == "edit"]
        reviewing = [w for w in self.windows.values() if w.role == "review"]
        roll = self.rng.random()
        if shared and roll < 0.35:
            w = self.rng.choice(shared)
        elif reviewing and roll > 0.85:
            w = self.rng.choice(reviewing)
        else:
            w = self.windows[self.draft]
        if w.role == "review":
            actions = self.REVIEW_ACTIONS
        elif w.frozen:
            actions = list(self.FROZEN_ACTIONS)
        else:
            actions = [(a, n) for a, n in self.ACTIONS if a != "export" or w.role == "owner"]
            if w.role == "owner" and self.reviewer is not None and w.version >= 3:
                actions.append(("submit", 4))
        if w.role != "owner":
            actions = [(a, n) for a, n in actions if a != "withdraw"]
        names = [name for name, _ in actions]
        return w, self.rng.choices(names, [weight for _, weight in actions])[0]

    def run(self) -> None:
        try:
            self.login()
            self.create_draft()
            self.share()
        except OpFailed:
            self.uncertain.add(self.draft)
            return
        except Exception:
            self.stats.error("client", traceback.format_exc(limit=3))
            self.uncertain.add(self.draft)
            return
        self.ready_at = time.monotonic()
        while time.monotonic() < self.deadline:
            self.pause()
            if self.rng.random() < self.LOOK_AROUND[len(self.windows) > 1]:
                window, action = self.windows[self.draft], "look_around"
            else:
                window, action = self.choose()
            for attempt in (1, 2):
                self.here = window
                try:
                    getattr(self, action)()
                except Refused as exc:
                    self.recover(exc)
                    if exc.kind == "conflict" and attempt == 1:
                        self.tally("conflicts: done again after reloading")
                        continue  # 请再操作一次
                except OpFailed as exc:
                    if not exc.refused:
                        self.uncertain.add(self.here.draft)
                    self.resync()
                except Exception:
                    self.stats.error("client", traceback.format_exc(limit=3))
                    self.uncertain.add(self.here.draft)
                    self.resync()
                break

    def recover(self, refused: Refused) -> None:
        """After a refusal the page catches up: the document reloaded (409, a vanished item),
        or the whole page (422: the flow bar says why)."""
        try:
            if refused.kind == "locked":
                self.open_editor()
                return
            self.refresh()
        except OpFailed:
            self.resync()
            return
        if refused.kind == "gone" and refused.item in self.here.tree.ids():
            self.stats.error(
                "client", f"item {refused.item} refused as gone, still in draft {self.here.draft}"
            )

    def resync(self) -> None:
        """After a failed request, reload the editor as a user would."""
        for _ in range(3):
            try:
                self.open_editor()
                return
            except OpFailed:
                time.sleep(1)

    def finish(self) -> None:
        """Once every drafter has stopped: the own draft's editor page, to compare with the
        database."""
        if self.draft is None or self.draft in self.uncertain:
            return
        self.here = self.windows[self.draft]
        try:
            self.open_editor()
            self.final_shape = _plain(self.here.tree.shape())
        except OpFailed:
            self.uncertain.add(self.draft)


def _refusal(response: Response, path: str) -> str | None:
    """Why a change on a shared draft was refused with nothing changed (None: it was not one
    of those refusals)."""
    if response.status == 404:
        return "gone" if _ITEM_IN_PATH.search(path) else None
    if response.headers.get("Content-Type", "").startswith("application/json"):
        try:
            message = json.loads(response.text).get("error", "")
        except ValueError:
            return None
    else:
        found = _ALERT.search(response.text)
        message = html.unescape(found[1]) if found else ""
    if response.status == 409 and CONFLICT in message:
        return "conflict"
    if response.status == 422 and any(words in message for words in FROZEN):
        return "locked"
    if response.status == 422 and ITEM_GONE in message:
        return "gone"
    return None


def _plain(shape: dict[int | None, list[int]]) -> dict[str, list[int]]:
    return {("" if p is None else str(p)): c for p, c in shape.items()}
