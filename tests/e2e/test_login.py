import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_drafter_logs_in_through_the_browser(page, live_server, alice):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("用户名").fill("alice")
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").inner_text().startswith("用户名或密码不正确")

    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="我的讲话稿").is_visible()
    # htmx was loaded from our own static files.
    assert page.evaluate("typeof htmx !== 'undefined' && htmx.version.startsWith('2')")

    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/")
