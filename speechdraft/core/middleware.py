"""Login required everywhere, without losing what is on screen when a session has expired."""

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponse

from speechdraft.core.errors import PlainRefusal

SESSION_EXPIRED = "登录已过期，操作没有完成。您的文字仍在页面上：请先复制保存，再刷新页面重新登录。"


class SessionAwareLoginRequiredMiddleware(LoginRequiredMiddleware):
    """A page request goes to the login page as usual. An htmx request gets 401 and a
    message instead: following the redirect would swap the login page into the editor,
    over the text the user was typing."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Open views first: the parent reads the session (the database) before looking at
        # the view, so /healthz/ with a session cookie would fail while the database is down
        # instead of reporting it.
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request, view_func):
        if getattr(request, "htmx", False):
            response = HttpResponse(
                SESSION_EXPIRED, status=401, content_type="text/plain; charset=utf-8"
            )
            response["HX-Reswap"] = "none"
            return response
        return super().handle_no_permission(request, view_func)


class PlainRefusalMiddleware:
    """A refusal that says why (core.errors.PlainRefusal: 这篇讲话稿已不再与您共享, 您是审阅人…)
    answers an htmx request or the editor's own saves with its words as text, and swaps
    nothing: the page (and what is typed on it) stays, and the page's script shows the words
    instead of a general message. Page requests still get the 403/404 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PlainRefusal) or not getattr(request, "htmx", False):
            return None
        response = HttpResponse(
            exception.message,
            status=exception.status,
            content_type="text/plain; charset=utf-8",
        )
        response["HX-Reswap"] = "none"
        return response


class PlainQueryMiddleware:
    """What is not text (NUL and the other controls, speechdraft.text.sanitize) is dropped
    from query-string values before any view reads them: PostgreSQL refuses NUL in a query,
    and no search box or filter means it. Form bodies are left to the views (uploads must
    stream, and typed text is cleaned where it is stored)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from speechdraft.text.sanitize import NOT_TEXT, plain_text

        if request.GET and any(NOT_TEXT.search(v) for vs in request.GET.lists() for v in vs[1]):
            cleaned = request.GET.copy()
            for key, values in request.GET.lists():
                cleaned.setlist(key, [plain_text(v) for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
