"""The account's own pages: an invitation link lets its owner choose a password and signs them in,
a forgotten password is reset through a mailed link, the account page changes the password, ends
every session and makes API tokens that are shown once and work on the JSON API until revoked.
Mail goes through a real SMTP server (the sink) and the tests follow the links in it."""

import html
import re
import secrets
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from catalogue.cli import cli_actor
from catalogue.store import now
from catalogue.store import tables as t
from tests.support import PASSWORD, csrf_token, post_form, record_payload, sign_in

NEW_PASSWORD = "a fresh and long passphrase"

_TOKEN = re.compile(r'id="token" class="token-value" type="text" value="([^"]+)"')


@pytest.fixture
def app_settings(mail_sink):
    return mail_sink.settings()


def fresh_email(who: str = "ada") -> str:
    """An address no other test uses: the mail sink serves the whole run."""
    return f"{who}-{secrets.token_hex(4)}@tate.example"


def invite(service, mail_sink, museum="tate", role="curator", email=None, name="Ada Lovelace") -> str:
    """Invite someone as the secretariat; the path of the link in the mail they receive."""
    email = email or fresh_email()
    service.invite(cli_actor(), museum, email, name, role)
    return mail_sink.wait_for(email).path_of_link()


def choose(client, path: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return post_form(client, path, {"password": password, "confirm": password if confirm is None else confirm})


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# invitations -------------------------------------------------------------------------------
def test_an_invited_curator_chooses_a_password_and_lands_signed_in_on_the_dashboard(
    app, client, service, museum, mail_sink
):
    email = fresh_email()
    path = invite(service, mail_sink, email=email)
    assert path.startswith("/account/invitation/")
    page = client.get(path)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    assert "Welcome, Ada Lovelace: choose your password" in page_text(page)
    chosen = choose(client, path)
    assert chosen.status_code == 302 and chosen.headers["Location"] == "/curate/"
    assert chosen.headers["Referrer-Policy"] == "no-referrer"
    assert "Your password is saved; you are signed in." in page_text(client.get("/curate/"))
    assert client.get("/account").status_code == 200
    assert sign_in(app.test_client(), email, NEW_PASSWORD).status_code == 302


def test_an_invited_secretariat_admin_lands_on_the_account_page(client, service, mail_sink):
    email = fresh_email("grace")
    path = invite(service, mail_sink, museum=None, role="admin", email=email, name="Grace")
    chosen = choose(client, path)
    assert chosen.status_code == 302 and chosen.headers["Location"] == "/account"
    account = page_text(client.get("/account"))
    assert email in account and "Your password is saved; you are signed in." in account


def test_an_invitation_link_works_once(app, client, service, museum, mail_sink):
    email = fresh_email()
    path = invite(service, mail_sink, email=email)
    assert choose(client, path).status_code == 302
    again = app.test_client()
    page = again.get(path)
    assert page.status_code == 404 and page.headers["Referrer-Policy"] == "no-referrer"
    assert "This link does not work" in page_text(page)
    assert 'action="/account/reset"' in page.get_data(as_text=True)  # it offers a new link
    token = csrf_token(again, "/account/reset")
    replay = again.post(
        path, data={"password": "another passphrase", "confirm": "another passphrase", "csrf_token": token}
    )
    assert replay.status_code == 404
    assert sign_in(app.test_client(), email, "another passphrase").status_code == 401


def test_an_expired_invitation_link_is_a_404(client, service, museum, mail_sink):
    path = invite(service, mail_sink)
    with service.store.transaction() as conn:
        conn.execute(sa.update(t.action_tokens).values(expires_at=now() - timedelta(minutes=1)))
    page = client.get(path)
    assert page.status_code == 404 and "expired" in page_text(page)


def test_a_mismatched_confirmation_keeps_the_form_with_the_message_next_to_the_field(
    client, service, museum, mail_sink
):
    path = invite(service, mail_sink)
    refused = choose(client, path, NEW_PASSWORD, "a different passphrase")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and refused.headers["Referrer-Policy"] == "no-referrer"
    assert 'aria-describedby="confirm-error"' in body and 'id="confirm-error"' in body
    assert "Welcome, Ada Lovelace" in page_text(refused)  # the same form, not the error page
    assert client.get("/account").status_code == 302  # not signed in
    assert choose(client, path).status_code == 302  # the link still works


def test_a_short_password_is_refused_next_to_the_password_field(client, service, museum, mail_sink):
    path = invite(service, mail_sink)
    refused = choose(client, path, "short")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'id="password-error"' in body and "At least 10 characters." in body
    assert 'aria-describedby="password-hint password-error"' in body


# password reset ----------------------------------------------------------------------------
def test_accepting_an_invitation_on_a_french_page_makes_french_the_language_of_later_mail(
    client, service, museum, mail_sink
):
    email = fresh_email()
    path = invite(service, mail_sink, email=email)
    assert choose(client, f"/fr{path}").status_code == 302
    assert service.store.user_by_email(email)["language"] == "fr"


def test_a_forgotten_password_is_reset_through_the_mailed_link(app, client, museum, make_account, mail_sink):
    email = make_account("curator", museum.code)
    elsewhere = app.test_client()
    sign_in(elsewhere, email)
    asked = post_form(client, "/account/reset", {"email": email.upper()})
    assert asked.status_code == 200 and "a link to choose a new password is on its way" in page_text(asked)
    path = mail_sink.wait_for(email).path_of_link()
    assert path.startswith("/account/reset/")
    page = client.get(path)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    assert "Choose a new password" in page_text(page)
    assert choose(client, path).headers["Location"] == "/curate/"
    assert "Your password is saved; you are signed in." in page_text(client.get("/curate/"))
    assert client.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302  # the other session has ended
    assert sign_in(app.test_client(), email, PASSWORD).status_code == 401
    assert sign_in(app.test_client(), email, NEW_PASSWORD).status_code == 302
    assert app.test_client().get(path).status_code == 404


def test_the_reset_mail_is_in_the_language_the_form_was_sent_in(app, client, museum, make_account, mail_sink):
    email = make_account("curator", museum.code)
    post_form(client, "/de/account/reset", {"email": email})
    mail = mail_sink.wait_for(email)
    assert mail.subject == "Passwort zurücksetzen: Virtuelle Sammlung der Meisterwerke"
    assert "Wählen Sie hier ein neues Passwort (der Link funktioniert einmal, 2 Stunden lang)" in mail.body
    assert mail.path_of_link().startswith("/account/reset/")


def test_a_reset_for_an_unknown_email_answers_the_same_and_sends_nothing(
    client, service, museum, make_account, mail_sink
):
    known, nobody = make_account("curator", museum.code), fresh_email("nobody")
    for_known = post_form(client, "/account/reset", {"email": known})
    for_unknown = post_form(client, "/account/reset", {"email": nobody})
    assert for_known.status_code == for_unknown.status_code == 200

    def without_csrf(response):
        return re.sub(r'name="csrf_token" value="[^"]*"', "", response.get_data(as_text=True))

    assert without_csrf(for_known) == without_csrf(for_unknown)
    mail_sink.wait_for(known)  # sent after the answer (timing tells nothing); any mail to nobody would be queued too
    deadline = time.monotonic() + 10
    while service.unsent_mail() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert mail_sink.to(nobody) == [] and service.unsent_mail() == 0


def test_a_reset_link_mailed_before_a_password_change_no_longer_works(app, client, museum, make_account, mail_sink):
    email = make_account("curator", museum.code)
    post_form(app.test_client(), "/account/reset", {"email": email})
    path = mail_sink.wait_for(email).path_of_link()
    sign_in(client, email)
    changed = {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert post_form(client, "/account/password", changed, page="/account").status_code == 302
    assert app.test_client().get(path).status_code == 404  # the older link cannot undo the change
    chosen = {"password": "another long passphrase", "confirm": "another long passphrase"}
    assert post_form(app.test_client(), path, chosen, page="/account/reset").status_code == 404


def test_an_invitation_link_stops_working_once_a_reset_link_set_the_password(app, service, museum, mail_sink):
    email = fresh_email()
    invitation = invite(service, mail_sink, email=email)
    post_form(app.test_client(), "/account/reset", {"email": email})  # the invitation got lost
    assert choose(app.test_client(), mail_sink.wait_for(email, 2).path_of_link()).status_code == 302
    assert app.test_client().get(invitation).status_code == 404


def test_a_password_reset_lifts_the_lock_of_wrong_guesses(app, client, museum, make_account, mail_sink):
    email = make_account("curator", museum.code)
    for _ in range(5):
        sign_in(app.test_client(), email, "a wrong guess")
    assert sign_in(app.test_client(), email).status_code == 429
    post_form(client, "/account/reset", {"email": email})
    assert choose(client, mail_sink.wait_for(email).path_of_link()).status_code == 302
    assert sign_in(app.test_client(), email, NEW_PASSWORD).status_code == 302  # on the phone too, at once


def test_reset_requests_past_the_limit_are_refused(client, museum, make_account, mail_sink):
    email = make_account("curator", museum.code)
    for _ in range(3):
        assert post_form(client, "/account/reset", {"email": email}).status_code == 200
    refused = post_form(client, "/account/reset", {"email": email})
    assert refused.status_code == 429 and "Too many attempts" in page_text(refused)
    assert email in refused.get_data(as_text=True)  # the form keeps what was typed


# the account page --------------------------------------------------------------------------
def test_the_account_page_needs_a_signed_in_account(client):
    response = client.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/sign-in")


def test_a_secretariat_admin_without_a_museum_signs_in_to_the_account_page(client, make_account):
    assert sign_in(client, make_account("admin", None)).headers["Location"] == "/account"
    assert client.get("/account/sign-in").headers["Location"] == "/account"


def test_the_secretariat_lands_where_pending_applications_are_counted(client, service, make_account):
    sign_in(client, make_account("admin", None))
    assert "membership application" not in page_text(client.get("/account"))
    form = {
        "names": [{"language": "en", "name": "Museum of Leiden"}],
        "country": "NL",
        "city": "Leiden",
        "website": None,
        "contact_name": "Contact",
        "contact_email": "contact@leiden.example",
        "description": "Prints.",
        "ethics_agreed": True,
    }
    service.apply_for_membership(form, "test")
    assert "1 membership application waits for review" in page_text(client.get("/account"))


def test_the_account_page_shows_who_is_signed_in(curator_client):
    page = page_text(curator_client.get("/account"))
    assert "Curator of tate" in page and "Curator" in page and "Tate (tate)" in page
    assert page.count('autocomplete="new-password"') == 2 and 'autocomplete="current-password"' in page


def test_the_account_page_chooses_the_language_of_its_owners_mail(curator_client):
    page = curator_client.get("/account").get_data(as_text=True)
    assert '<option value="en" selected>English</option>' in page  # no choice yet: English
    chosen = post_form(curator_client, "/account/mail-language", {"language": "ko"}, "/account")
    assert chosen.status_code == 302 and chosen.headers["Location"] == "/account"
    page = curator_client.get("/account").get_data(as_text=True)
    assert "Your mail will be written in 한국어." in page and '<option value="ko" selected>한국어</option>' in page
    refused = post_form(curator_client, "/account/mail-language", {"language": "tlh"}, "/account")
    assert refused.status_code == 400
    assert 'id="mail-language-form-error">Choose one of the interface languages.' in refused.get_data(as_text=True)


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, museum, make_account):
    email = make_account("curator", museum.code)
    other = app.test_client()
    sign_in(client, email)
    sign_in(other, email)
    changed = post_form(
        client, "/account/password", {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}, "/account"
    )
    assert changed.status_code == 302 and changed.headers["Location"] == "/account"
    assert "Your password is changed" in page_text(client.get("/account"))
    assert other.get("/account").status_code == 302
    assert sign_in(app.test_client(), email, NEW_PASSWORD).status_code == 302


def test_a_wrong_current_password_is_shown_next_to_its_field(curator_client):
    refused = post_form(
        curator_client,
        "/account/password",
        {"current": "not my password", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        "/account",
    )
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'id="current-error"' in body and 'aria-describedby="current-error"' in body
    assert "Your account" in body


def test_a_short_new_password_is_shown_next_to_the_new_password_field(curator_client):
    refused = post_form(
        curator_client, "/account/password", {"current": PASSWORD, "new": "short", "confirm": "short"}, "/account"
    )
    assert refused.status_code == 400 and 'id="new-error"' in refused.get_data(as_text=True)


def test_signing_out_everywhere_ends_every_session(app, client, museum, make_account):
    email = make_account("curator", museum.code)
    other = app.test_client()
    sign_in(client, email)
    sign_in(other, email)
    ended = post_form(client, "/account/sessions/end", page="/account")
    assert ended.status_code == 302 and ended.headers["Location"] == "/account/sign-in"
    assert "signed out everywhere" in page_text(client.get("/account/sign-in"))
    assert client.get("/account").status_code == 302
    assert other.get("/account").status_code == 302
    assert sign_in(client, email).status_code == 302  # the password still works


# API tokens --------------------------------------------------------------------------------
def create_token(client, label="collection sync", expires_in=""):
    return post_form(client, "/account/tokens", {"label": label, "expires_in": expires_in}, "/account")


def shown_token(response) -> str:
    found = _TOKEN.search(response.get_data(as_text=True))
    assert found, "no token on the page"
    return found.group(1)


def test_a_new_token_is_shown_once_and_works_on_the_api_as_its_account(curator_client, make_museum):
    make_museum("rijks", "NL")
    created = create_token(curator_client, expires_in="30")
    assert created.status_code == 200 and created.headers["Cache-Control"] == "private, no-store"
    token = shown_token(created)
    account_page = curator_client.get("/account").get_data(as_text=True)
    assert token not in account_page and "collection sync" in account_page
    headers = {"Authorization": f"Bearer {token}"}
    saved = curator_client.put("/api/museums/tate/objects/T1", json=record_payload("T1"), headers=headers)
    assert saved.status_code == 201
    other_museum = curator_client.put("/api/museums/rijks/objects/T1", json=record_payload("T1"), headers=headers)
    assert other_museum.status_code == 403


def test_reloading_the_new_token_page_makes_no_second_token(curator_client, service):
    """A reload sends the same form again: same one-time form id, same CSRF token."""
    page = curator_client.get("/account").get_data(as_text=True)
    form = {
        "label": "museum-sync-7f3",
        "expires_in": "",
        "form_id": re.search(r'name="form_id" value="([^"]+)"', page).group(1),
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
    }
    first = curator_client.post("/account/tokens", data=form)
    assert first.status_code == 200 and shown_token(first)
    again = curator_client.post("/account/tokens", data=form)
    assert again.status_code == 302 and again.headers["Location"] == "/account"
    after = page_text(curator_client.get("/account"))
    assert "That form has made its token already" in after and after.count("museum-sync-7f3") == 1
    another = curator_client.get("/account").get_data(as_text=True)  # a new form makes a new token
    form["form_id"] = re.search(r'name="form_id" value="([^"]+)"', another).group(1)
    assert curator_client.post("/account/tokens", data=form).status_code == 200


def test_the_token_list_shows_ids_and_dates_never_the_token(curator_client, service):
    token = shown_token(create_token(curator_client, expires_in="7"))
    page = curator_client.get("/account").get_data(as_text=True)
    [listed] = service.own_tokens(service.actor_for_token(token))
    assert listed["id"] in page and listed["state"] == "active" and token not in page
    assert listed["expires_at"].strftime("%Y-%m-%d") in page


def test_a_token_without_a_label_or_with_a_bad_lifetime_keeps_the_form(curator_client):
    no_label = create_token(curator_client, label=" ")
    assert no_label.status_code == 400 and 'id="label-error"' in no_label.get_data(as_text=True)
    bad_days = create_token(curator_client, label="nightly sync", expires_in="-3")
    body = bad_days.get_data(as_text=True)
    assert bad_days.status_code == 400 and 'id="expires_in-error"' in body
    assert 'value="nightly sync"' in body and 'value="-3"' in body


def test_a_lifetime_too_long_to_read_is_refused_on_the_form(curator_client):
    """int() refuses more than 4,300 digits: that was a 500 rather than the field's message."""
    response = create_token(curator_client, label="nightly sync", expires_in="9" * 5_000)
    assert response.status_code == 400 and 'id="expires_in-error"' in response.get_data(as_text=True)


def test_a_revoked_token_stops_working(curator_client, service):
    token = shown_token(create_token(curator_client))
    token_id = service.own_tokens(service.actor_for_token(token))[0]["id"]
    revoked = post_form(curator_client, f"/account/tokens/{token_id}/revoke", page="/account")
    assert revoked.status_code == 302
    assert "is revoked" in page_text(curator_client.get("/account"))
    refused = curator_client.put(
        "/api/museums/tate/objects/T1", json=record_payload("T1"), headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status_code == 401


def test_another_account_cannot_revoke_a_token(app, curator_client, service, museum, make_account):
    token = shown_token(create_token(curator_client))
    token_id = service.own_tokens(service.actor_for_token(token))[0]["id"]
    colleague = app.test_client()
    sign_in(colleague, make_account("museum_admin", museum.code))
    refused = post_form(colleague, f"/account/tokens/{token_id}/revoke", page="/account")
    assert refused.status_code == 303 and refused.headers["Location"].endswith("/account")
    assert "You have no active token with id" in page_text(colleague.get("/account"))
    assert service.actor_for_token(token) is not None


def test_revoking_a_token_twice_comes_back_to_the_account_page_saying_so(curator_client, service):
    """A double click, or the back button and the form sent again."""
    token = shown_token(create_token(curator_client))
    token_id = service.own_tokens(service.actor_for_token(token))[0]["id"]
    post_form(curator_client, f"/account/tokens/{token_id}/revoke", page="/account")
    again = post_form(curator_client, f"/account/tokens/{token_id}/revoke", page="/account")
    assert again.status_code == 303 and again.headers["Location"].endswith("/account")
    assert f"You have no active token with id '{token_id}'." in page_text(curator_client.get("/account"))


def test_token_forms_need_a_signed_in_account_and_their_csrf_token(client, curator_client):
    assert client.post("/account/tokens", data={"label": "x"}).status_code in (400, 401)
    assert curator_client.post("/account/tokens", data={"label": "x"}).status_code == 400  # no CSRF token
