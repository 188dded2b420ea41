"""Signing in to the curator pages: a right password opens a session (an HttpOnly, SameSite=Lax
cookie), a wrong one says so without telling which part was wrong, forms need their CSRF token,
repeated failures are refused for a while, and signing out ends the session."""

from tests.support import PASSWORD, csrf_token, post_form, sign_in


def test_a_curator_signs_in_and_reaches_the_dashboard(client, museum, make_account):
    email = make_account("curator", museum.code)
    response = sign_in(client, email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/curate/")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    page = client.get("/curate/")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"


def test_the_cookie_is_secure_over_https(client, museum, make_account):
    email = make_account("curator", museum.code)
    page = client.get("/account/sign-in", base_url="https://catalogue.test")
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/account/sign-in",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        base_url="https://catalogue.test",
        headers={"Referer": "https://catalogue.test/account/sign-in"},  # checked over HTTPS, as browsers send it
    )
    assert response.status_code == 302 and "Secure" in response.headers["Set-Cookie"]


def test_a_wrong_password_or_unknown_email_reads_the_same(client, museum, make_account):
    email = make_account("curator", museum.code)
    wrong = sign_in(client, email, "not the password")
    unknown = sign_in(client, "nobody@example.org", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert "The email or password is not right" in wrong.get_data(as_text=True)
    assert client.get("/curate/").status_code == 302


def test_the_refusal_is_in_the_pages_language(client, museum, make_account):
    email = make_account("curator", museum.code)
    page = "/ja/account/sign-in"
    wrong = post_form(client, page, {"email": email, "password": "not the password"})
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 401 and '<html lang="ja">' in text
    assert "メールアドレスまたはパスワードが正しくないか、アカウントが有効ではありません。" in text
    assert "The email or password" not in text


def test_the_sign_in_form_needs_its_csrf_token(client, museum, make_account):
    email = make_account("curator", museum.code)
    response = client.post("/account/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert "reload the page" in response.get_data(as_text=True)


def test_after_five_failures_even_the_right_password_waits(client, museum, make_account):
    email = make_account("curator", museum.code)
    for _ in range(5):
        assert sign_in(client, email, "wrong password!").status_code == 401
    refused = sign_in(client, email)
    assert refused.status_code == 429 and "Too many attempts" in refused.get_data(as_text=True)


def test_signing_out_ends_the_session(client, museum, make_account):
    sign_in(client, make_account("curator", museum.code))
    assert client.get("/curate/").status_code == 200
    signed_out = post_form(client, "/account/sign-out", page="/curate/")
    assert signed_out.status_code == 302 and signed_out.headers["Location"] == "/account/sign-in"
    assert "You are signed out." in client.get("/account/sign-in").get_data(as_text=True)
    assert client.get("/curate/").status_code == 302


def test_next_only_leads_to_this_site(client, museum, make_account):
    email = make_account("curator", museum.code)
    for target in ("//evil.example/", "https://evil.example/", "/\\\\evil.example"):
        token = csrf_token(client, "/account/sign-in")
        response = client.post(
            "/account/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token, "next": target}
        )
        assert response.headers["Location"] == "/curate/", target
        post_form(client, "/account/sign-out", page="/curate/")


def test_a_new_password_ends_other_sessions(app, service, museum, make_account):
    email = make_account("curator", museum.code)
    first, second = app.test_client(), app.test_client()
    sign_in(first, email)
    sign_in(second, email)
    actor, _ = service.authenticate(email, PASSWORD, "127.0.0.1")
    service.change_password(actor, PASSWORD, "a brand new passphrase")
    assert first.get("/curate/").status_code == 302
    assert second.get("/curate/").status_code == 302
