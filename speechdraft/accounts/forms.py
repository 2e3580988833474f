from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from speechdraft.accounts.throttle import (
    client_address,
    lockout_message,
    login_failure_record,
    login_locked,
    login_success,
)


class ThrottledLoginMixin:
    """Refuse logins while the account or address is locked out; count failures."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        if login_locked(username, address):
            raise ValidationError(lockout_message(), code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError as exc:
            if getattr(exc, "code", None) == "invalid_login":
                login_failure_record(username, address)
            raise
        login_success(username, address)
        return cleaned


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入（注意区分大小写）。",
        "inactive": "此账号已停用，请联系管理员。",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's own login page, throttled the same way."""
