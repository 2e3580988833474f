import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_a_chinese_form(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-CN"' in html
    for label in ("用户名", "密码", "登录"):
        assert label in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_it_logs_in_and_reaches_the_home_page(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "我的讲话稿" in home.content.decode()
    assert "alice" in home.content.decode()


def test_wrong_password_shows_a_chinese_error(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", ["/", "/admin/"])
def test_pages_require_an_account(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login/" in response.headers["Location"]


def test_health_check_needs_no_account(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_logout_is_a_post_and_ends_the_session(alice_client):
    assert alice_client.get("/accounts/logout/").status_code == 405
    response = alice_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert alice_client.get("/").status_code == 302


def test_htmx_is_vendored_and_csrf_rides_on_body(alice_client):
    html = alice_client.get("/").content.decode()
    assert "/static/django_htmx/htmx-2" in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "http://" not in html.replace("http://127.0.0.1", "")
    assert "https://" not in html


def test_demo_accounts_command_is_idempotent(client, django_user_model, capsys):
    call_command("create_demo_users")
    call_command("create_demo_users")
    out = capsys.readouterr().out
    assert django_user_model.objects.filter(username__in=["drafter", "curator"]).count() == 2
    drafter = django_user_model.objects.get(username="drafter")
    curator = django_user_model.objects.get(username="curator")
    assert not drafter.is_staff and curator.is_staff
    # The printed logins really work.
    from speechdraft.accounts.services import DEMO_CURATOR, DEMO_DRAFTER

    for account in (DEMO_DRAFTER, DEMO_CURATOR):
        assert f"用户名 {account.username}  密码 {account.password}" in out
        assert client.login(username=account.username, password=account.password)
        client.logout()


def test_curator_reaches_admin_and_drafter_does_not(client):
    call_command("create_demo_users")
    client.login(username="drafter", password="drafter-demo-2024")
    assert client.get("/admin/").status_code == 302
    client.logout()
    client.login(username="curator", password="curator-demo-2024")
    assert client.get("/admin/").status_code == 200
