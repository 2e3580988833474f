"""A small HTTP client for the fault scenarios: cookies, CSRF, htmx headers, status codes as
values (not exceptions). Standard library only."""

from __future__ import annotations

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    def version(self) -> int | None:
        """The draft version the page or fragment carries: #draft-version, or in a refused
        edit the version its form now names."""
        match = re.search(r'id="draft-version"[^>]*value="(\d+)"', self.text) or re.search(
            r'name="version" value="(\d+)"', self.text
        )
        return int(match.group(1)) if match else None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base_url: str, *, timeout: float = 20) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        cookies = urllib.request.HTTPCookieProcessor(self.cookies)
        self.opener = urllib.request.build_opener(cookies, _NoRedirect())

    def tab(self) -> Browser:
        """Another tab of the same browser: same cookies, so the same login."""
        other = Browser(self.base_url, timeout=self.timeout)
        other.cookies = self.cookies
        other.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )
        return other

    def _csrf(self) -> str:
        return next((c.value for c in self.cookies if c.name == "csrftoken"), "")

    def request(self, method: str, path: str, data: dict | None = None, *, htmx: bool = False):
        headers = {"X-CSRFToken": self._csrf()} if method == "POST" else {}
        if htmx:
            headers["HX-Request"] = "true"
        body = urllib.parse.urlencode(data or {}).encode() if method == "POST" else None
        url = self.base_url + urllib.parse.quote(path, safe="/?=&%")
        req = urllib.request.Request(url, body, headers, method=method)
        start = time.monotonic()
        try:
            with self.opener.open(req, timeout=self.timeout) as r:
                return Response(r.status, r.read(), dict(r.headers), time.monotonic() - start)
        except urllib.error.HTTPError as e:  # 3xx (not followed), 4xx, 5xx
            return Response(e.code, e.read(), dict(e.headers), time.monotonic() - start)

    def get(self, path: str, *, htmx: bool = False) -> Response:
        return self.request("GET", path, htmx=htmx)

    def post(self, path: str, data: dict | None = None, *, htmx: bool = False) -> Response:
        return self.request("POST", path, data, htmx=htmx)

    def login(self, username: str, password: str) -> None:
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"username": username, "password": password})
        assert response.status == 302, response.text[:500]
