"""Login required everywhere, without losing what is on screen when a session has expired."""

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponse

SESSION_EXPIRED = "登录已过期，操作没有完成。您的文字仍在页面上：请先复制保存，再刷新页面重新登录。"


class SessionAwareLoginRequiredMiddleware(LoginRequiredMiddleware):
    """A page request goes to the login page as usual. An htmx request gets 401 and a
    message instead: following the redirect would swap the login page into the editor,
    over the text the user was typing."""

    def handle_no_permission(self, request, view_func):
        if getattr(request, "htmx", False):
            response = HttpResponse(
                SESSION_EXPIRED, status=401, content_type="text/plain; charset=utf-8"
            )
            response["HX-Reswap"] = "none"
            return response
        return super().handle_no_permission(request, view_func)
