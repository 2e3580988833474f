"""Attacks on logging in: guessing passwords, and sessions that outlive their time."""

import time

import pytest
from django.core.cache import cache

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()  # counters of other tests (and runs sharing the Redis db) do not leak in
    yield
    cache.clear()


def login(client, username, password, path="/accounts/login/", address="10.1.2.3"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        response = login(client, "alice", "guess")
        assert "用户名或密码不正确" in response.content.decode()
    response = login(client, "alice", PASSWORD)
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Usernames are not case-sensitive for the counter: ALICE is the same target.
    assert LOCKED in login(client, "ALICE", PASSWORD).content.decode()


def test_the_lock_is_per_account_and_address(client, alice, bob, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        login(client, "alice", "guess")
    assert login(client, "bob", PASSWORD).status_code == 302  # another account: unaffected
    client.post("/accounts/logout/")
    assert login(client, "alice", PASSWORD, address="10.9.9.9").status_code == 302  # elsewhere


def test_one_address_spraying_many_accounts_is_locked_out(client, alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 2  # 12 failures from one address over all accounts
    for n in range(12):
        login(client, f"user{n}", "guess")
    assert LOCKED in login(client, "alice", PASSWORD).content.decode()


def test_the_lock_ends_after_its_window_and_success_resets_the_count(client, alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_LOCKOUT_SECONDS = 1
    login(client, "alice", "guess")
    assert login(client, "alice", PASSWORD).status_code == 302  # one failure, then success
    client.post("/accounts/logout/")
    login(client, "alice", "guess")  # the count started again: one failure is not a lock
    assert login(client, "alice", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    login(client, "alice", "guess")
    login(client, "alice", "guess")
    assert LOCKED in login(client, "alice", PASSWORD).content.decode()
    time.sleep(1.2)
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
