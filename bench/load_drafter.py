"""One simulated drafter for bench/load.py: a browser session driven over plain HTTP.

Every request is the one the page or htmx would send (form fields, `current_version` and
`anchor` from hx-include, the CSRF header from hx-headers, HX-Request), and every change the
server accepts is written to the drafter's log with what the server acknowledged (the new
item's id, the new version), so that bench/load_check.py can replay the log against the
database afterwards.

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


class OpFailed(Exception):
    """A request whose answer was not the expected one (already counted as an error)."""

    def __init__(self, detail: str, *, refused: bool = False) -> None:
        super().__init__(detail)
        # refused: a 409/422 the server documents as "nothing changed"; otherwise the outcome
        # of the request is unknown and the draft can no longer be checked exactly.
        self.refused = refused


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
class Drafter:
    index: int
    username: str
    password: str
    http: Http
    stats: Stats
    deadline: float
    think: float
    rng: random.Random
    draft: int | None = None
    version: int = 0
    tree: Tree | None = None
    csrf: str = ""
    own: set[int] = field(default_factory=set)
    results: list[tuple[str, int, bool]] = field(default_factory=list)
    log: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # client-side integrity findings
    uncertain: bool = False
    final_shape: dict | None = None
    exports: list[int] = field(default_factory=list)
    export_ms: list[float] = field(default_factory=list)
    edits: int = 0
    ready_at: float | None = None  # logged in, draft created

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
    ) -> Response:
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
        snippet = re.sub(r"\s+", " ", response.text)[:300]
        self.stats.error(op, f"{method} {path} → {response.status}: {snippet}")
        raise OpFailed(f"{response.status}", refused=response.status in (409, 422))

    def change(self, op: str, path: str, data: dict) -> Response:
        """A change through the editor: an htmx POST whose answer replaces #document."""
        return self.call(op, "POST", path, data, headers=self.hx("document"))

    def hx(self, target: str) -> dict:
        url = f"{self.http.origin}/drafts/{self.draft}/"
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
        return {"current_version": self.version, "anchor": anchor or ""}

    def accept(self, response: Response, entry: dict, *, outline: bool = True) -> None:
        """A change the server accepted: check the version moved by one, keep the outline."""
        match = _VERSION.search(response.text)
        version = int(match[1]) if match else None
        if version != self.version + 1:
            self.problems.append(
                f"{entry['op']} answered version {version}, expected {self.version + 1}"
            )
        self.version = version or self.version + 1
        entry["v"] = self.version
        self.log.append(entry)
        if outline:
            parsed = parse_outline(response.text)
            if parsed is None:
                self.problems.append(f"{entry['op']} answered without the document")
            else:
                self.tree = Tree(parsed)

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
        self.open_editor(first=True)

    def open_editor(self, *, first: bool = False) -> None:
        page = self.call("page", "GET", f"/drafts/{self.draft}/")
        text = page.text
        match = _CSRF_HEADER.search(text)
        self.csrf = match[1]
        self.version = int(_VERSION.search(text)[1])
        self.tree = Tree(parse_outline(text))
        if first:
            self.log.append({"op": "open", "v": self.version, "shape": _plain(self.tree.shape())})
            for path in sorted(set(_STATIC.findall(text))):
                response = self.call("static", "GET", path)
                if not response.body:
                    self.stats.error("static", f"GET {path}: empty body")

    # --- editor actions -------------------------------------------------------------------

    def search(self) -> None:
        term = self.rng.choice(SEARCH_TERMS)
        query = urlencode({"q": term, "kind": "", "role": ""})
        response = self.call(
            "search",
            "GET",
            f"/drafts/{self.draft}/library/?{query}",
            headers=self.hx("library-results"),
        )
        self.results = []
        for block in re.findall(r'<li class="result">(.*?)</li>', response.text, re.S):
            found = re.search(r'name="(paragraph|phrase)" value="(\d+)"', block)
            if found:
                meta = block.split("</div>", 1)[0]
                self.results.append((found[1], int(found[2]), "<strong>" in meta))

    def insert_material(self) -> None:
        if not self.results:
            self.search()
            if not self.results:
                return
        kind, source, has_heading = self.rng.choice(self.results)
        tree = self.tree
        if kind == "paragraph" and has_heading:
            # Becomes a numbered point: under a numbered anchor, or after an item inside one.
            anchors = [
                i
                for i in tree.ids()
                if (tree.depth(i) < 4 if tree.numbered[i] else tree.depth(tree.parent[i]) < 4)
            ]
        else:
            anchors = tree.ids()
        anchor = self.rng.choice(anchors)
        before = set(tree.ids())
        data = {
            "csrfmiddlewaretoken": self.csrf,
            "version": self.version,
            kind: source,
            **self.live(anchor),
        }
        response = self.change("insert library", f"/drafts/{self.draft}/material/", data)
        entry = {"op": "material", "kind": kind, "source": source, "anchor": anchor}
        self.accept(response, entry)
        new = set(self.tree.ids()) - before
        if len(new) != 1 or len(self.tree.ids()) != len(before) + 1:
            self.problems.append(f"material insert changed the outline by {sorted(new)}")
        entry["item"] = next(iter(new)) if len(new) == 1 else None
        if entry["item"]:
            self.own.add(entry["item"])

    def insert_own(self) -> None:
        """添加要点 or 添加段落 from the item the cursor is in, then typing into the new item
        (autosave), as the editor does: the answer names the new item (data-focus)."""
        tree = self.tree
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
            "version": self.version,
            "kind": kind,
            **self.live(anchor),
        }
        response = self.call(
            "insert", "POST", f"/drafts/{self.draft}/items/", data, headers=self.hx("document")
        )
        entry = {"op": "insert", "kind": kind, "anchor": anchor}
        self.accept(response, entry)
        match = re.search(r'id="document"[^>]*data-focus="(\d+)"', response.text)
        item = int(match[1]) if match else None
        if item is None or set(self.tree.ids()) - before != {item}:
            self.problems.append(
                f"insert answered item {item}, outline gained {sorted(set(self.tree.ids()) - before)}"
            )
        entry["item"] = item
        if item is None:
            return
        self.own.add(item)
        self.pause()
        self.type_into(item, new_heading=kind == "point")

    def type_into(self, item: int | None = None, *, new_heading: bool | None = None) -> None:
        """Text typed into an item on the page, saved by the editor's autosave (JSON)."""
        if item is None:
            item = self.rng.choice(self.tree.ids())
        if new_heading is None:
            new_heading = self.tree.numbered[item] and self.rng.random() < 0.3
        self.edits += 1
        marker = f"〔{self.username}-{self.edits:04d}〕"
        body = marker + "\n".join(self.rng.sample(SENTENCES, self.rng.randint(1, 3)))
        data = {"version": self.version, "body": body}
        heading = None  # the page sends a heading only when the drafter typed into it
        if new_heading:
            heading = f"{marker}要点"
            data["heading"] = heading
        headers = {**self.hx("document"), "Accept": "application/json"}
        response = self.call(
            "autosave", "POST", f"/drafts/{self.draft}/items/{item}/save/", data, headers=headers
        )
        answer = json.loads(response.text)
        entry = {"op": "edit", "item": item, "heading": heading, "body": body}
        if answer.get("version") != self.version + 1 or answer.get("refresh"):
            self.problems.append(f"autosave of {item} answered {answer.get('version')}")
        self.version = answer.get("version") or self.version + 1
        entry["v"] = self.version
        self.log.append(entry)
        if "statusbar" not in answer:
            self.problems.append(f"autosave of {item} answered without the status bar")

    def edit(self) -> None:
        item = self.rng.choice(self.tree.ids())
        response = self.call(
            "edit form",
            "GET",
            f"/drafts/{self.draft}/items/{item}/edit/",
            headers=self.hx(f"item-{item}"),
        )
        self.pause()
        self.save(item, response.text, new_heading=self.rng.random() < 0.3)

    def save(self, item: int, form: str, *, new_heading: bool) -> None:
        """Type new text into the open editor and press 保存."""
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
        response = self.call(
            "edit save",
            "POST",
            f"/drafts/{self.draft}/items/{item}/edit/",
            data,
            headers=self.hx(f"item-{item}"),
        )
        entry = {"op": "edit", "item": item, "heading": heading, "body": body}
        self.accept(response, entry, outline=False)
        hints = re.search(
            r'hx-get="(/drafts/\d+/review/items/\d+/)" hx-trigger="load"', response.text
        )
        if hints:  # the saved row asks for its review hints as soon as it is on the page
            self.call("review hints", "GET", hints[1], headers=self.hx(f"hints-{item}"))
        else:
            self.problems.append(f"saved row of item {item} does not ask for review hints")

    def step(self) -> None:
        tree = self.tree
        movable = [i for i in tree.ids() if len(tree.children[tree.parent[i]]) > 1]
        if not movable:
            return
        item = self.rng.choice(movable)
        siblings = tree.children[tree.parent[item]]
        index = siblings.index(item)
        delta = -1 if index == len(siblings) - 1 or (index > 0 and self.rng.random() < 0.5) else 1
        action = "up" if delta < 0 else "down"
        data = {"csrfmiddlewaretoken": self.csrf, "version": self.version, **self.live(item)}
        response = self.change("move up/down", f"/drafts/{self.draft}/items/{item}/{action}/", data)
        self.accept(response, {"op": "step", "item": item, "delta": delta})

    def drag(self) -> None:
        tree = self.tree
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
        response = self.change("move drag", f"/drafts/{self.draft}/items/{item}/move/", data)
        self.accept(response, {"op": "move", "item": item, "parent": parent, "position": position})

    def delete(self) -> None:
        present = sorted(self.own & set(self.tree.ids()))
        if not present:
            return
        item = self.rng.choice(present)
        data = {"csrfmiddlewaretoken": self.csrf, "version": self.version, **self.live(item)}
        response = self.change("delete", f"/drafts/{self.draft}/items/{item}/delete/", data)
        self.accept(response, {"op": "delete", "item": item})

    def stale(self) -> None:
        """A 上移 from a window that missed the last change: must be refused, nothing changed."""
        if self.version < 2:
            return
        item = self.rng.choice(self.tree.ids())
        old = self.version - 1
        data = {
            "csrfmiddlewaretoken": self.csrf,
            "version": old,
            "current_version": old,
            "anchor": item,
        }
        response = self.call(
            "stale (409 expected)",
            "POST",
            f"/drafts/{self.draft}/items/{item}/up/",
            data,
            headers=self.hx("document"),
            expect=(409,),
        )
        if STALE not in response.text:
            self.stats.error("stale (409 expected)", "409 without the stale-draft message")
        self.stats.expected_refusal("stale version → 409 此稿已在其他窗口修改")

    def export(self) -> None:
        start = time.perf_counter()
        profile = self.rng.choice(("gongwen", "large"))
        data = {"csrfmiddlewaretoken": self.csrf, "profile": profile, **self.live()}
        path = f"/drafts/{self.draft}/export/"
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

    def run(self) -> None:
        try:
            self.login()
            self.create_draft()
        except OpFailed:
            self.uncertain = True
            return
        except Exception:
            self.stats.error("client", traceback.format_exc(limit=3))
            self.uncertain = True
            return
        self.ready_at = time.monotonic()
        names = [name for name, _ in self.ACTIONS]
        weights = [weight for _, weight in self.ACTIONS]
        while time.monotonic() < self.deadline:
            self.pause()
            action = self.rng.choices(names, weights)[0]
            try:
                getattr(self, action)()
            except OpFailed as exc:
                self.uncertain |= not exc.refused
                self.resync()
            except Exception:
                self.stats.error("client", traceback.format_exc(limit=3))
                self.uncertain = True
                self.resync()
        try:
            self.open_editor()
            self.final_shape = _plain(self.tree.shape())
        except OpFailed:
            self.uncertain = True

    def resync(self) -> None:
        """After a failed request, reload the editor as a user would."""
        for _ in range(3):
            try:
                self.open_editor()
                return
            except OpFailed:
                time.sleep(1)


def _plain(shape: dict[int | None, list[int]]) -> dict[str, list[int]]:
    return {("" if p is None else str(p)): c for p, c in shape.items()}
