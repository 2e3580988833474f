from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from speechdraft.accounts.throttle import (
    LoginAttempt,
    address_busy_message,
    busy_message,
    client_address,
    lockout_message,
    slowed_message,
)


class ThrottledLoginMixin:
    """Refuse logins while the account is locked out, slow down a noisy address, count
    failures (see speechdraft/accounts/throttle.py)."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()  # no password is checked: nothing to count
        attempt = LoginAttempt(username, client_address(self.request))
        if attempt.refused:
            if attempt.busy:
                raise ValidationError(busy_message(), code="throttled")
            raise ValidationError(lockout_message(), code="throttled")
        if not attempt.wait():
            attempt.abandoned()
            raise ValidationError(address_busy_message(), code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError as exc:
            if getattr(exc, "code", None) != "invalid_login":
                attempt.abandoned()  # e.g. an inactive account: not a wrong guess
                raise
            attempt.failed()
            if attempt.slowed:
                raise ValidationError(
                    [exc, ValidationError(slowed_message(), code="slowed")]
                ) from exc
            raise
        attempt.succeeded()
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
