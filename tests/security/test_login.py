"""Attacks on logging in: guessing passwords, and sessions that outlive their time."""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from speechdraft.accounts import throttle
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多"
WRONG = "用户名或密码不正确"
SLOWED = "此网络地址近期登录失败较多"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()  # counters of other tests (and runs sharing the Redis db) do not leak in
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def waits(monkeypatch):
    """The seconds each login was made to wait (recorded, not slept)."""
    waited = []
    monkeypatch.setattr(throttle, "_sleep", waited.append)
    return waited


def login(client, username, password, path="/accounts/login/", address="10.1.2.3", **headers):
    data = {"username": username, "password": password}
    return client.post(path, data, REMOTE_ADDR=address, **headers)


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        response = login(client, "alice", "guess")
        assert "用户名或密码不正确" in response.content.decode()
    response = login(client, "alice", PASSWORD)
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_and_address(client, alice, bob, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        login(client, "alice", "guess")
    assert login(client, "bob", PASSWORD).status_code == 302  # another account: unaffected
    client.post("/accounts/logout/")
    assert login(client, "alice", PASSWORD, address="10.9.9.9").status_code == 302  # elsewhere


def test_one_address_spraying_is_slowed_down_but_accounts_are_not_locked_out(
    client, alice, editor, settings, waits
):
    # Everyone behind one NAT (or an untrusted proxy) shares the address of the guesser.
    settings.LOGIN_FAILURE_LIMIT = 2  # 12 failures from one address over all accounts
    for n in range(12):
        page = login(client, f"made-up-{n}", "guess").content.decode()
        assert WRONG in page and SLOWED not in page
    assert waits == []
    # The right password of an existing account still gets in, the staff admin login too.
    assert login(client, "alice", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    response = login(client, "editor", PASSWORD, path="/admin/login/")
    assert response.status_code == 302 and client.get("/admin/").status_code == 200
    client.post("/admin/logout/")
    # Each further failure from the address waits longer before its password is checked.
    for n in range(6):
        page = login(client, f"more-{n}", "guess").content.decode()
        assert WRONG in page and SLOWED in page and LOCKED not in page
    assert waits == [1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 4.0, 4.0]
    assert login(client, "alice", PASSWORD).status_code == 302  # slowed, never locked
    assert waits[-1] == 4.0 == throttle.ADDRESS_DELAY_MAX
    client.post("/accounts/logout/")
    waits.clear()
    assert SLOWED not in login(client, "alice", "typo", address="10.9.9.9").content.decode()
    assert waits == []  # another address is not slowed


def test_a_slowed_address_has_one_attempt_waiting_at_a_time(alice, bob, settings, monkeypatch):
    """The delay holds a web worker: a second attempt from the address while one waits is
    told to retry at once, so a noisy address cannot put every worker to sleep."""
    settings.LOGIN_FAILURE_LIMIT = 2  # slowed after 12 failures from one address
    client, other = Client(), Client()
    for n in range(12):
        login(client, f"made-up-{n}", "guess")
    answers = []

    def sleep(seconds):  # while the first attempt waits, another arrives from the address
        answers.append(login(other, "bob", PASSWORD))

    monkeypatch.setattr(throttle, "_sleep", sleep)
    first = login(client, "alice", PASSWORD)
    assert first.status_code == 302  # the waiting attempt goes on and gets in
    (second,) = answers
    assert second.status_code == 200 and "过于频繁" in second.content.decode()
    assert "_auth_user_id" not in other.session
    # Once nobody waits, the next attempt from the address waits its turn and gets in.
    monkeypatch.setattr(throttle, "_sleep", lambda seconds: None)
    assert login(other, "bob", PASSWORD).status_code == 302


def test_usernames_that_fold_alike_are_distinct_accounts_with_their_own_lock(
    client, django_user_model, settings
):
    settings.LOGIN_FAILURE_LIMIT = 3
    django_user_model.objects.create_user("strasse", password=PASSWORD)
    django_user_model.objects.create_user("straße", password=PASSWORD)
    for _ in range(3):
        login(client, "strasse", "guess")
    assert LOCKED in login(client, "strasse", PASSWORD).content.decode()
    # 'straße'.casefold() == 'strasse', yet it is another account: not locked.
    assert login(client, "straße", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    # The lock is on the name the login matches: full-width letters are NFKC-normalised to
    # the same account and stay locked; STRASSE is no account (names are case-sensitive).
    assert LOCKED in login(client, "ｓｔｒａｓｓｅ", PASSWORD).content.decode()
    assert WRONG in login(client, "STRASSE", PASSWORD).content.decode()


def test_behind_a_trusted_proxy_each_client_has_its_own_lock(client, alice, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.LOGIN_FAILURE_LIMIT = 3
    proxy = "10.0.0.5"
    for _ in range(3):
        login(client, "alice", "guess", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    page = login(client, "alice", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert LOCKED in page.content.decode()
    # Another client of the same proxy (alice at her own desk) is not locked out.
    response = login(client, "alice", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert response.status_code == 302


def test_a_forged_x_forwarded_for_does_not_escape_the_lock(client, alice, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    settings.LOGIN_FAILURE_LIMIT = 3
    # Straight from an untrusted address: the header is ignored.
    for n in range(3):
        login(client, "alice", "guess", address="198.51.100.9", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}")
    page = login(client, "alice", PASSWORD, address="198.51.100.9", HTTP_X_FORWARDED_FOR="1.1.1.9")
    assert LOCKED in page.content.decode()
    # Through the trusted proxy, which appends the real address to what the client sent.
    for n in range(3):
        forged = f"192.0.2.{n}, 198.51.100.20"
        login(client, "alice", "guess", address="10.0.0.5", HTTP_X_FORWARDED_FOR=forged)
    forged = "192.0.2.99, 198.51.100.20"
    page = login(client, "alice", PASSWORD, address="10.0.0.5", HTTP_X_FORWARDED_FOR=forged)
    assert LOCKED in page.content.decode()


BUSY = "同时进行的登录尝试过多"


def logins_at_once(monkeypatch, attempts):
    """POST each (username, password) login in its own thread, all at the same moment, with
    a password check slow enough that every one arrives while the others are being checked."""
    from django.contrib.auth import forms as auth_forms

    authenticate = auth_forms.authenticate

    def slow_authenticate(*args, **kwargs):
        time.sleep(0.5)
        return authenticate(*args, **kwargs)

    monkeypatch.setattr(auth_forms, "authenticate", slow_authenticate)
    if connection.vendor == "sqlite":
        # The embedded test database is SQLite in memory with a shared cache, which refuses a
        # second writer at once instead of waiting: the writes after a successful check take
        # turns (last_login) or leave the database (the session, in a signed cookie). The
        # throttle under test runs before them.
        from django.conf import settings
        from django.contrib.auth import views as auth_views

        monkeypatch.setattr(
            settings, "SESSION_ENGINE", "django.contrib.sessions.backends.signed_cookies"
        )

        writes, auth_login = threading.Lock(), auth_views.auth_login

        def one_at_a_time(*args, **kwargs):
            with writes:
                return auth_login(*args, **kwargs)

        monkeypatch.setattr(auth_views, "auth_login", one_at_a_time)
    start = threading.Barrier(len(attempts))
    responses = [None] * len(attempts)

    def attempt(n, username, password):
        try:
            start.wait(timeout=10)
            responses[n] = login(Client(), username, password)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n, *a)) for n, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    monkeypatch.setattr(auth_forms, "authenticate", authenticate)
    assert all(response is not None for response in responses)
    return responses


@pytest.mark.django_db(transaction=True)  # the threads' own connections must see alice
def test_guesses_sent_at_once_are_checked_no_more_than_the_limit(alice, settings, monkeypatch):
    settings.LOGIN_FAILURE_LIMIT = 5
    responses = logins_at_once(monkeypatch, [("alice", f"guess-{n}") for n in range(15)])
    pages = [response.content.decode() for response in responses]
    checked = sum(WRONG in page for page in pages)
    refused = sum(BUSY in page or LOCKED in page for page in pages)
    assert (checked, refused) == (5, 10)
    assert LOCKED in login(Client(), "alice", PASSWORD).content.decode()


@pytest.mark.django_db(transaction=True)
def test_colleagues_signing_in_at_once_to_one_account_are_not_told_it_is_locked(
    alice, settings, monkeypatch
):
    settings.LOGIN_FAILURE_LIMIT = 3
    responses = logins_at_once(monkeypatch, [("alice", PASSWORD)] * 6)
    statuses = [r.status_code for r in responses]
    pages = [r.content.decode() for r in responses if r.status_code != 302]
    assert statuses.count(302) == 3 and all(BUSY in page for page in pages)
    assert not any(LOCKED in page for page in pages)
    for _ in pages:  # those asked to wait a moment get in when they try again
        assert login(Client(), "alice", PASSWORD).status_code == 302


def test_the_lock_ends_after_its_window_and_success_resets_the_count(client, alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    # Long enough that the steps below (each checks a password) stay inside one window on a
    # busy machine: with 1 s the lock could lapse before it was looked at.
    settings.LOGIN_LOCKOUT_SECONDS = 4
    login(client, "alice", "guess")
    assert login(client, "alice", PASSWORD).status_code == 302  # one failure, then success
    client.post("/accounts/logout/")
    login(client, "alice", "guess")  # the count started again: one failure is not a lock
    assert login(client, "alice", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    login(client, "alice", "guess")
    login(client, "alice", "guess")
    assert LOCKED in login(client, "alice", PASSWORD).content.decode()
    time.sleep(4.2)
    assert login(client, "alice", PASSWORD).status_code == 302


def test_the_admin_login_page_is_throttled_too(client, editor, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        login(client, "editor", "guess", path="/admin/login/")
    response = login(client, "editor", PASSWORD, path="/admin/login/")
    assert response.status_code == 200 and LOCKED in response.content.decode()


def test_a_session_expires_after_its_age(client, alice, settings):
    settings.SESSION_COOKIE_AGE = 1
    assert login(client, "alice", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200
    time.sleep(1.5)
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]


def test_logging_out_invalidates_the_session_cookie_on_the_server(client, alice):
    login(client, "alice", PASSWORD)
    stolen = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    client.cookies["sessionid"] = stolen  # replaying the old cookie does not get back in
    assert client.get("/").status_code == 302


def test_admin_is_for_staff_only(client, alice, editor):
    client.force_login(alice)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.headers["Location"]
    assert client.get("/admin/library/phrase/").status_code == 302
    client.force_login(editor)
    assert client.get("/admin/library/phrase/").status_code == 200


def test_an_expired_session_answers_htmx_with_401_and_a_message(client, alice):
    login(client, "alice", PASSWORD)
    client.post("/accounts/logout/")
    response = client.post("/drafts/1/items/1/edit/", {"body": "x"}, headers={"HX-Request": "true"})
    assert response.status_code == 401 and response.headers["HX-Reswap"] == "none"
    assert "登录已过期" in response.content.decode()
    plain = client.post("/drafts/1/items/1/edit/", {"body": "x"})
    assert plain.status_code == 302 and "/accounts/login/" in plain.headers["Location"]
