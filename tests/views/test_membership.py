"""Membership through the web pages, with mail through a real SMTP server: a museum applies at
/join, the secretariat reviews and approves or rejects at /admin/applications, and the contact
follows the invitation link to become the new museum's admin. The public form refuses what breaks
a rule next to the field (keeping what was typed), escapes what it is sent, and takes only a few
applications an hour from one address."""

import html
import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest

from catalogue.i18n import use_translations
from catalogue.models import Actor
from catalogue.text import fold
from tests.support import page_text, post_form, sign_in
from tests.test_i18n import Shouting

SECRETARIAT = Actor(name="Sam Secretariat", role="admin")
NEW_PASSWORD = "tulips and canals forever"


@pytest.fixture
def app_settings(mail_sink):
    return mail_sink.settings()


@pytest.fixture
def contact() -> str:
    """The applicant's address, new in each test: the mail sink serves the whole session."""
    return f"ann-{secrets.token_hex(4)}@rijks.example"


def join_form(contact: str, **overrides) -> dict:
    """The form as a browser sends it: two filled name rows and one left empty."""
    form = {
        "name_language": ["en", "nl", ""],
        "name": ["Rijksmuseum", "Rijksmuseum Amsterdam", ""],
        "country": "NL",
        "city": "Amsterdam",
        "website": "https://www.rijksmuseum.nl/",
        "contact_name": "Ann de Vries",
        "contact_email": contact,
        "description": "Dutch art and history from 1200 to now.",
        "ethics_agreed": "yes",
    }
    form.update(overrides)
    return form


def apply(client, contact: str, **overrides):
    return post_form(client, "/join", join_form(contact, **overrides))


def secretariat_client(app, make_account):
    client = app.test_client()
    assert sign_in(client, make_account("admin")).status_code == 302
    return client


def applied(service, contact: str) -> int:
    """The number of the application ``contact`` sent."""
    [found] = [a for a in service.applications(SECRETARIAT) if a["contact_email"] == contact]
    return found["id"]


# the whole story ---------------------------------------------------------------------------------
def test_a_museum_applies_is_approved_and_its_contact_becomes_its_admin(
    app, client, service, make_account, mail_sink, contact
):
    admin = make_account("admin")
    assert 'href="/join"' in client.get("/").get_data(as_text=True)  # the footer of every page
    form = client.get("/join")
    assert "ICOM Code of Ethics" in form.get_data(as_text=True)
    assert form.headers["Cache-Control"] == "private, no-store"  # its CSRF token is this visitor's

    sent = apply(client, contact)
    assert sent.status_code == 302 and sent.headers["Location"] == "/join/thanks"
    assert "Thank you for applying" in client.get("/join/thanks").get_data(as_text=True)
    assert "secretariat" in mail_sink.wait_for(contact).body
    review_path = mail_sink.wait_for(admin).path_of_link()

    secretariat = app.test_client()
    assert sign_in(secretariat, admin).status_code == 302
    assert "Rijksmuseum" in secretariat.get("/admin/applications").get_data(as_text=True)
    review = secretariat.get(review_path).get_data(as_text=True)
    assert "Dutch art and history" in review and 'value="rijksmuseum"' in review  # the code suggested
    approved = post_form(secretariat, f"{review_path}/approve", {"code": "rijks", "note": "Welkom!"}, page=review_path)
    assert approved.status_code == 302 and approved.headers["Location"] == review_path
    assert "Approved" in secretariat.get(review_path).get_data(as_text=True)

    assert "Welkom!" in mail_sink.wait_for(contact, 2).body
    link = mail_sink.wait_for(contact, 3).path_of_link()
    newcomer = app.test_client()
    assert 'name="password"' in newcomer.get(link).get_data(as_text=True)
    accepted = post_form(newcomer, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert accepted.status_code == 302
    assert "Ann de Vries · Rijksmuseum" in newcomer.get("/curate/").get_data(as_text=True)
    assert service.store.user_by_email(contact)["role"] == "museum_admin"
    assert service.museum("rijks").status == "member"

    stranger = app.test_client()
    assert stranger.get(link).status_code == 404  # the link worked once
    reused = post_form(
        stranger, link, {"password": "another long password", "confirm": "another long password"}, page="/join"
    )
    assert reused.status_code == 404


def test_an_invitation_link_past_its_time_does_not_work(app, client, service, contact, mail_sink):
    apply(client, contact)
    service.approve_application(SECRETARIAT, applied(service, contact), "rijks")
    link = mail_sink.wait_for(contact, 3).path_of_link()
    with service.store.transaction() as conn:
        service.store.expire_links_of(
            conn, service.store.user_by_email(contact)["id"], datetime.now(UTC) - timedelta(minutes=1)
        )
    assert app.test_client().get(link).status_code == 404


def test_a_rejection_mails_the_reason_to_the_contact(app, client, service, make_account, mail_sink, contact):
    apply(client, contact)
    path = f"/admin/applications/{applied(service, contact)}"
    secretariat = secretariat_client(app, make_account)
    empty = post_form(secretariat, f"{path}/reject", {"reason": " "}, page=path)
    assert empty.status_code == 400 and 'id="reason-error"' in empty.get_data(as_text=True)
    rejected = post_form(
        secretariat, f"{path}/reject", {"reason": "Please apply once the museum has reopened."}, page=path
    )
    assert rejected.status_code == 302
    assert "Rejected" in secretariat.get(path).get_data(as_text=True)
    assert "once the museum has reopened" in mail_sink.wait_for(contact, 2).body
    assert service.store.get_museum("rijks") is None


# the public form refuses, keeps and escapes ------------------------------------------------------
def test_a_country_outside_the_asem_partners_is_refused_next_to_the_field(client, service, contact):
    refused = apply(client, contact, country="US")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'id="country-error"' in page and "ASEM partner countries" in page
    assert 'value="Amsterdam"' in page and 'value="Rijksmuseum Amsterdam"' in page and "Dutch art and history" in page
    assert '<option value="US"' not in page  # the choices are the partners only
    assert service.applications(SECRETARIAT) == []


def test_the_ethics_checkbox_is_required(client, service, contact):
    form = join_form(contact)
    del form["ethics_agreed"]
    refused = post_form(client, "/join", form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'id="ethics_agreed-error"' in page and "ICOM Code of Ethics" in page
    assert f'value="{contact}"' in page
    assert service.applications(SECRETARIAT) == []


def test_the_form_and_its_messages_are_translated(app, client, contact):
    use_translations(app, Shouting())
    page = apply(client, contact, country="US").get_data(as_text=True)
    assert "BECOME A MEMBER" in page and "SEND THE APPLICATION" in page
    assert "MEMBERSHIP IS OPEN TO MUSEUMS IN ASEM PARTNER COUNTRIES" in page


def test_the_fields_messages_read_in_the_pages_language(client, contact):
    refused = post_form(client, "/ja/join", join_form("not an address", city=""))
    page = page_text(refused)
    assert refused.status_code == 400
    assert "有効なメールアドレスではありません。" in page and "必須項目です（200 文字以内）。" in page
    assert "Not a valid email address." not in page and "Required, at most" not in page
    german = page_text(post_form(client, "/de/join", join_form(contact, contact_name="")))
    assert "Pflichtfeld, höchstens 200 Zeichen." in german


def test_the_confirmation_is_mailed_in_the_language_the_form_was_sent_in(client, contact, mail_sink):
    assert post_form(client, "/ja/join", join_form(contact)).status_code == 302
    mail = mail_sink.wait_for(contact)
    assert mail.subject == "加盟申請の受付：名品バーチャルコレクション"
    assert "加盟をお申し込みいただき" in mail.body and "Thank you" not in mail.body


def country_choices(client, path: str) -> list[str]:
    return re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]*)</option>', client.get(path).get_data(as_text=True))


def test_the_countries_are_named_and_ordered_in_the_pages_language(client):
    english, french, german = (country_choices(client, path) for path in ("/join", "/fr/join", "/de/join"))
    japanese, chinese = country_choices(client, "/ja/join"), country_choices(client, "/zh/join")

    assert "Germany" in english and english.index("Austria") < english.index("Germany")
    assert "Allemagne" in french and "Germany" not in french
    assert french.index("Allemagne") < french.index("Autriche") < french.index("Belgique")
    assert french.index("Suède") < french.index("Tchéquie") < french.index("Thaïlande")  # accents do not count
    assert german.index("Niederlande") < german.index("Österreich") < german.index("Pakistan")
    for names in (english, french, german):
        assert names == sorted(names, key=fold)
    # Japanese by the names' readings (日本 is にほん, between ドイツ and ニュージーランド), Chinese by pinyin
    assert japanese.index("ドイツ") < japanese.index("日本") < japanese.index("ニュージーランド")
    assert japanese.index("オーストラリア") < japanese.index("オランダ")  # おお… before おら…
    assert japanese.index("パキスタン") < japanese.index("ハンガリー")  # ぱき… with はき…, before はん…
    assert [name for name in chinese if name in ("中国", "德国", "法国", "日本")] == ["德国", "法国", "日本", "中国"]
    assert len(english) == len(french) == len(japanese) == len(chinese)


def test_a_name_row_with_an_error_is_shown_again_with_its_message(client, contact):
    refused = apply(client, contact, name_language=["", "en", "x!"], name=["", "Rijksmuseum", "Rijks"])
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'id="names-1-language-error"' in page and 'value="x!"' in page  # the empty first row is dropped


def test_what_a_visitor_sends_is_shown_escaped(app, client, service, make_account, contact):
    hostile = '<script>alert("x")</script>'
    form = {"name": [hostile, ""], "name_language": ["en", ""], "description": f'<img src=x onerror="{hostile}">'}
    refused = apply(client, contact, country=hostile, **form)  # refused for the country: the form comes back
    assert refused.status_code == 400 and "<script>" not in refused.get_data(as_text=True)
    assert apply(client, contact, **form).status_code == 302
    secretariat = secretariat_client(app, make_account)
    page = secretariat.get(f"/admin/applications/{applied(service, contact)}").get_data(as_text=True)
    assert "&lt;script&gt;" in page and "<script>" not in page and "<img" not in page
    assert "<script>" not in secretariat.get("/admin/applications").get_data(as_text=True)


def test_a_form_whose_trap_field_is_filled_is_thanked_and_dropped(client, service, contact, mail_sink):
    sent = apply(client, contact, fax="+31 20 000 0000")
    assert sent.status_code == 302
    assert service.applications(SECRETARIAT) == [] and mail_sink.to(contact) == []


def test_one_address_sends_five_applications_an_hour(client, service, contact):
    for _ in range(5):
        assert apply(client, contact).status_code == 302
    refused = apply(client, contact)
    assert refused.status_code == 429
    assert "Too many attempts" in refused.get_data(as_text=True) and 'value="Amsterdam"' in refused.get_data(
        as_text=True
    )
    assert len(service.applications(SECRETARIAT)) == 5


def test_the_application_heading_is_one_sentence_each_language_punctuates(app, client, service, make_account, contact):
    apply(client, contact)
    number = applied(service, contact)
    secretariat = secretariat_client(app, make_account)
    page = html.unescape(secretariat.get(f"/fr/admin/applications/{number}").get_data(as_text=True))
    assert f"<h1>Candidature n°\u00a0{number}\u00a0: Rijksmuseum</h1>" in page  # French spaces its colon
    page = html.unescape(secretariat.get(f"/ja/admin/applications/{number}").get_data(as_text=True))
    assert f"<h1>申請 {number}：Rijksmuseum</h1>" in page


# the review is the secretariat's ------------------------------------------------------------------
def test_curators_and_museum_admins_may_not_review(app, client, service, museum, make_account, curator_client, contact):
    apply(client, contact)
    path = f"/admin/applications/{applied(service, contact)}"
    museum_admin = app.test_client()
    sign_in(museum_admin, make_account("museum_admin", museum.code))
    for person in (curator_client, museum_admin):
        assert person.get("/admin/applications").status_code == 403
        assert person.get(path).status_code == 403
        assert post_form(person, f"{path}/approve", {"code": "rijks"}, page="/join").status_code == 403
        assert post_form(person, f"{path}/reject", {"reason": "No."}, page="/join").status_code == 403
    assert service.application(SECRETARIAT, applied(service, contact))["state"] == "pending"


def test_someone_not_signed_in_is_sent_to_sign_in_or_refused(client, service, contact):
    apply(client, contact)
    path = f"/admin/applications/{applied(service, contact)}"
    for page in ("/admin/applications", path):
        answer = client.get(page)
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/account/sign-in")
    assert post_form(client, f"{path}/approve", {"code": "rijks"}, page="/join").status_code == 401
    assert post_form(client, f"{path}/reject", {"reason": "No."}, page="/join").status_code == 401


def test_deciding_twice_is_a_conflict(app, client, service, make_account, contact):
    apply(client, contact)
    path = f"/admin/applications/{applied(service, contact)}"
    secretariat = secretariat_client(app, make_account)
    assert post_form(secretariat, f"{path}/approve", {"code": "rijks"}, page=path).status_code == 302
    again = post_form(secretariat, f"{path}/approve", {"code": "rijks-2"}, page=path)
    assert again.status_code == 409 and "This application has already been approved." in again.get_data(as_text=True)
    assert post_form(secretariat, f"{path}/reject", {"reason": "No."}, page=path).status_code == 409
    assert service.store.get_museum("rijks-2") is None


def test_a_taken_code_is_shown_on_the_form(app, client, service, museum, make_account, contact):
    apply(client, contact)
    path = f"/admin/applications/{applied(service, contact)}"
    secretariat = secretariat_client(app, make_account)
    taken = post_form(secretariat, f"{path}/approve", {"code": museum.code, "note": "Hello"}, page=path)
    page = taken.get_data(as_text=True)
    assert taken.status_code == 409
    assert 'id="code-error"' in page and f'value="{museum.code}"' in page and ">Hello</textarea>" in page
    invalid = post_form(secretariat, f"{path}/approve", {"code": "Not a code"}, page=path)
    assert invalid.status_code == 400 and 'id="code-error"' in invalid.get_data(as_text=True)
    german = page_text(post_form(secretariat, f"/de{path}/approve", {"code": "Not a code"}, page=f"/de{path}"))
    assert "Kürzel bestehen aus 2 bis 40 Kleinbuchstaben, Ziffern und Bindestrichen." in german
    assert "Die Angaben zum Museum sind ungültig." in german and "lower-case" not in german


def test_the_list_filters_by_state(app, client, service, make_account):
    first, second = (f"c{n}-{secrets.token_hex(3)}@example.org" for n in range(2))
    apply(client, first, name_language=["en"], name=["First museum"])
    apply(client, second, name_language=["en"], name=["Second museum"])
    service.reject_application(SECRETARIAT, applied(service, second), "No.")
    secretariat = secretariat_client(app, make_account)
    everything = secretariat.get("/admin/applications").get_data(as_text=True)
    assert everything.index("First museum") < everything.index("Second museum")  # pending first
    pending = secretariat.get("/admin/applications?state=pending").get_data(as_text=True)
    assert "First museum" in pending and "Second museum" not in pending
    assert secretariat.get("/admin/applications?state=lost").status_code == 400
    unknown = page_text(secretariat.get("/ja/admin/applications?state=lost"))
    assert "不明な状態 'lost' です。" in unknown and "Unknown state" not in unknown


def test_an_unknown_application_is_not_found(app, make_account):
    secretariat = secretariat_client(app, make_account)
    assert secretariat.get("/admin/applications/999").status_code == 404
    assert secretariat.get(f"/admin/applications/{2**70}").status_code == 404
    assert post_form(secretariat, "/admin/applications/999/approve", {"code": "x1"}, page="/join").status_code == 404


def test_the_navigation_leads_the_secretariat_to_the_applications(app, make_account):
    secretariat = secretariat_client(app, make_account)
    assert 'href="/admin/applications"' in secretariat.get("/admin/applications").get_data(as_text=True)
