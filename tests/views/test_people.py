"""The people page: a museum admin manages the accounts of their museum (invites curators and
museum admins, deactivates and reactivates them), the secretariat manages every account and also
invites secretariat admins; curators have no such page. Invitations arrive through a real SMTP
server."""

import html
import re
import secrets

import pytest

from tests.support import post_form, record_payload, sign_in

NEW_PASSWORD = "a fresh and long passphrase"


@pytest.fixture
def app_settings(mail_sink):
    return mail_sink.settings()


@pytest.fixture
def admin_client(app, museum, make_account):
    """A client signed in as a museum admin of the ``museum`` fixture (tate)."""
    client = app.test_client()
    assert sign_in(client, make_account("museum_admin", museum.code, name="Maria Admin")).status_code == 302
    return client


@pytest.fixture
def secretariat_client(app, make_account):
    client = app.test_client()
    assert sign_in(client, make_account("admin", None, name="Sam Secretariat")).status_code == 302
    return client


def fresh_email(who: str = "ada") -> str:
    """An address no other test uses: the mail sink serves the whole run."""
    return f"{who}-{secrets.token_hex(4)}@tate.example"


def invite(client, **form):
    return post_form(client, "/account/people/invite", form, "/account/people")


def user_id(service, email: str) -> int:
    return service.store.user_by_email(email)["id"]


def test_a_museum_admin_invites_a_curator_of_their_museum(app, admin_client, mail_sink):
    email = fresh_email()
    sent = invite(admin_client, email=email, name="Ada Lovelace", role="curator")
    assert sent.status_code == 302 and sent.headers["Location"] == "/account/people"
    people = html.unescape(admin_client.get("/account/people").get_data(as_text=True))
    assert "An invitation is on its way to " + email in people
    assert "Ada Lovelace" in people and "Invited (no password yet)" in people
    mail = mail_sink.wait_for(email)
    invited = app.test_client()
    path = mail.path_of_link()
    chosen = post_form(invited, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert chosen.status_code == 302 and invited.get("/account").status_code == 200
    assert "Curator" in invited.get("/account").get_data(as_text=True)


def test_a_museum_admin_cannot_invite_into_another_museum_or_a_secretariat_admin(
    admin_client, service, make_museum, mail_sink
):
    make_museum("rijks", "NL")
    elsewhere, secretariat = fresh_email(), fresh_email()
    assert invite(admin_client, email=elsewhere, name="Eve", role="curator", museum="rijks").status_code == 403
    assert invite(admin_client, email=secretariat, name="Eve", role="admin", museum="").status_code == 403
    assert invite(admin_client, email=secretariat, name="Eve", role="admin").status_code == 403
    assert service.store.user_by_email(elsewhere) is None and service.store.user_by_email(secretariat) is None
    assert mail_sink.to(elsewhere) == [] and mail_sink.to(secretariat) == []


def test_a_museum_admin_sees_only_their_museum_and_no_secretariat_choices(admin_client, make_museum, make_account):
    make_museum("rijks", "NL")
    make_account("curator", "rijks", name="Rembrandt Curator")
    make_account("curator", "tate", name="Turner Curator")
    page = html.unescape(admin_client.get("/account/people").get_data(as_text=True))
    assert "People of Tate" in page and "Turner Curator" in page and "Rembrandt Curator" not in page
    assert 'value="admin"' not in page and 'name="museum"' not in page
    assert 'value="museum_admin"' in page


def test_an_invitation_that_fails_keeps_the_form_with_the_message_next_to_the_field(admin_client, make_account):
    taken = make_account("curator", "tate")
    refused = invite(admin_client, email=taken, name="Ada Again", role="curator")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409 and 'id="email-error"' in body and 'aria-describedby="email-error"' in body
    assert 'value="Ada Again"' in body
    not_an_email = invite(admin_client, email="ada at tate", name="Ada", role="curator")
    assert not_an_email.status_code == 400 and 'id="email-error"' in not_an_email.get_data(as_text=True)
    no_name = invite(admin_client, email=fresh_email(), name=" ", role="curator")
    assert no_name.status_code == 400 and 'id="name-error"' in no_name.get_data(as_text=True)


def test_deactivating_ends_the_sessions_and_revokes_the_tokens_of_the_person(
    app, admin_client, service, museum, make_account
):
    email = make_account("curator", museum.code)
    curator = app.test_client()
    sign_in(curator, email)
    created = post_form(curator, "/account/tokens", {"label": "sync"}, "/account")
    token = re.search(r'class="token-value" type="text" value="([^"]+)"', created.get_data(as_text=True)).group(1)
    headers = {"Authorization": f"Bearer {token}"}
    assert curator.put("/api/museums/tate/objects/T1", json=record_payload("T1"), headers=headers).status_code == 201

    person = user_id(service, email)
    assert post_form(admin_client, f"/account/people/{person}/deactivate", page="/account/people").status_code == 302
    assert "Deactivated" in admin_client.get("/account/people").get_data(as_text=True)
    assert curator.get("/account").status_code == 302
    assert curator.put("/api/museums/tate/objects/T2", json=record_payload("T2"), headers=headers).status_code == 401
    assert sign_in(app.test_client(), email).status_code == 401

    assert post_form(admin_client, f"/account/people/{person}/activate", page="/account/people").status_code == 302
    assert sign_in(app.test_client(), email).status_code == 302
    assert curator.put("/api/museums/tate/objects/T2", json=record_payload("T2"), headers=headers).status_code == 401


def test_nobody_deactivates_themselves_or_people_they_do_not_manage(admin_client, service, make_museum, make_account):
    make_museum("rijks", "NL")
    [maria] = [u for u in service.store.list_users("tate") if u["name"] == "Maria Admin"]
    assert (
        post_form(admin_client, f"/account/people/{maria['id']}/deactivate", page="/account/people").status_code == 409
    )
    other = user_id(service, make_account("curator", "rijks"))
    secretariat = user_id(service, make_account("admin", None))
    for person in (other, secretariat):
        refused = post_form(admin_client, f"/account/people/{person}/deactivate", page="/account/people")
        assert refused.status_code == 403
    assert post_form(admin_client, "/account/people/999999/deactivate", page="/account/people").status_code == 404


def test_a_curator_has_no_people_page(curator_client):
    assert curator_client.get("/account/people").status_code == 403
    assert "People" not in curator_client.get("/account").get_data(as_text=True).split("<main", 1)[1].split("<h1")[0]


def test_the_secretariat_sees_every_account_and_filters_by_museum(secretariat_client, make_museum, make_account):
    make_museum("tate", "GB")
    make_museum("rijks", "NL")
    make_account("curator", "rijks", name="Rembrandt Curator")
    make_account("curator", "tate", name="Turner Curator")
    everyone = html.unescape(secretariat_client.get("/account/people").get_data(as_text=True))
    assert "Rembrandt Curator" in everyone and "Turner Curator" in everyone and "Sam Secretariat" in everyone
    rijks = html.unescape(secretariat_client.get("/account/people?museum=rijks").get_data(as_text=True))
    assert "Rembrandt Curator" in rijks and "Turner Curator" not in rijks


def test_the_people_page_and_the_navigation_name_the_museum_in_the_pages_language(app, make_museum, make_account):
    """As the dashboard does: the museum's name in the page's language, not its code."""
    names = {"en": ["Suzhou Silk Museum"], "zh": ["苏州丝绸博物馆"]}
    make_museum("suzhou-silk-museum", "CN", names=names)
    client = app.test_client()
    email = make_account("museum_admin", "suzhou-silk-museum", email=fresh_email("wangli"), name="王丽")
    assert sign_in(client, email).status_code == 302
    chinese = html.unescape(client.get("/zh/account/people").get_data(as_text=True))
    assert "<span>王丽 · 苏州丝绸博物馆</span>" in chinese
    heading = re.search(r"<h1>(.*?)</h1>", chinese).group(1)
    assert "苏州丝绸博物馆" in heading and "suzhou-silk-museum" not in heading
    assert re.search(r"<td[^>]*>苏州丝绸博物馆</td>", chinese)
    assert "suzhou-silk-museum" not in re.sub(r"<option[^>]*>.*?</option>", "", chinese.split("<footer")[0])
    english = html.unescape(client.get("/account/people").get_data(as_text=True))
    assert "<span>王丽 · Suzhou Silk Museum</span>" in english
    dashboard = html.unescape(client.get("/zh/curate/").get_data(as_text=True))
    assert "<span>王丽 · 苏州丝绸博物馆</span>" in dashboard


def test_the_secretariat_invites_a_secretariat_admin(app, secretariat_client, service, mail_sink):
    email = fresh_email("grace")
    assert invite(secretariat_client, email=email, name="Grace", role="admin", museum="").status_code == 302
    assert service.store.user_by_email(email)["role"] == "admin"
    path = mail_sink.wait_for(email).path_of_link()
    invited = app.test_client()
    chosen = post_form(invited, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert chosen.headers["Location"] == "/account"
    assert invited.get("/account/people").status_code == 200


def test_the_secretariat_must_pick_a_museum_for_a_curator_and_none_for_an_admin(secretariat_client, museum):
    no_museum = invite(secretariat_client, email=fresh_email(), name="Ada", role="curator", museum="")
    assert no_museum.status_code == 400 and 'id="museum-error"' in no_museum.get_data(as_text=True)
    with_museum = invite(secretariat_client, email=fresh_email(), name="Ada", role="admin", museum="tate")
    assert with_museum.status_code == 400 and 'id="museum-error"' in with_museum.get_data(as_text=True)
    unknown = invite(secretariat_client, email=fresh_email(), name="Ada", role="curator", museum="nowhere")
    assert unknown.status_code == 400 and 'id="museum-error"' in unknown.get_data(as_text=True)


def test_people_pages_need_a_signed_in_admin(client):
    assert client.get("/account/people").status_code == 302
    assert client.post("/account/people/1/deactivate").status_code in (400, 401)


@pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])
def test_hostile_values_are_clear_4xx_answers_on_both_databases(client, admin_client, secretariat_client):
    nul_email = invite(admin_client, email="ada\x00@tate.example", name="Ada", role="curator")
    assert nul_email.status_code == 400 and 'id="email-error"' in nul_email.get_data(as_text=True)
    nul_name = invite(admin_client, email=fresh_email(), name="Ada\x00", role="curator")
    assert nul_name.status_code == 400 and 'id="name-error"' in nul_name.get_data(as_text=True)
    far_id = post_form(admin_client, f"/account/people/{2**70}/deactivate", page="/account/people")
    assert far_id.status_code == 404
    assert secretariat_client.get("/account/people?museum=%00").status_code == 400
    for email in ("ada\x00@tate.example", "a" * 400 + "@tate.example"):
        assert post_form(client, "/account/sign-in", {"email": email, "password": "x"}).status_code == 401
        assert post_form(client, "/account/reset", {"email": email}).status_code == 200


def test_someone_whose_invitation_got_lost_is_invited_again(admin_client, app, service, mail_sink):
    email = fresh_email("lost")
    invite = {"email": email, "name": "Lost Invite", "role": "curator"}
    assert post_form(admin_client, "/account/people/invite", invite, page="/account/people").status_code == 302
    first = mail_sink.wait_for(email).path_of_link()
    [person] = [p for p in service.store.list_users("tate") if p["email"] == email]
    page = admin_client.get("/account/people").get_data(as_text=True)
    assert f"/account/people/{person['id']}/invite-again" in page

    again = post_form(admin_client, f"/account/people/{person['id']}/invite-again", page="/account/people")
    assert again.status_code == 302
    second = mail_sink.wait_for(email, count=2).path_of_link()
    visitor = app.test_client()
    assert visitor.get(first).status_code == 404  # the earlier link stops working
    assert visitor.get(second).status_code == 200
    chosen = post_form(visitor, second, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert chosen.status_code == 302

    refused = post_form(admin_client, f"/account/people/{person['id']}/invite-again", page="/account/people")
    assert refused.status_code == 409  # accepted already: nothing to invite to


def test_the_invitation_is_written_in_the_language_chosen_on_the_form_which_starts_at_the_pages(
    admin_client, mail_sink
):
    page = admin_client.get("/ja/account/people").get_data(as_text=True)
    assert '<option value="ja" selected>日本語</option>' in page and '<option value="de">Deutsch</option>' in page
    email = fresh_email()
    form = {"email": email, "name": "Wang Fang", "role": "curator", "language": "zh"}
    assert post_form(admin_client, "/ja/account/people/invite", form, "/ja/account/people").status_code == 302
    assert mail_sink.wait_for(email).subject == "精品虚拟馆藏的邀请"


def test_an_invitation_language_that_is_not_offered_is_shown_next_to_its_field(admin_client, service):
    email = fresh_email()
    refused = invite(admin_client, email=email, name="X", role="curator", language="tlh")
    assert refused.status_code == 400
    assert '<p class="field-error" id="language-error">Unknown.</p>' in refused.get_data(as_text=True)
    assert service.store.user_by_email(email) is None
