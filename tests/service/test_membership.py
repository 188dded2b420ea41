"""Membership applications: anyone may apply for a museum in an ASEM partner country that agrees
to the ICOM Code of Ethics; the secretariat (and only it) approves, which makes the museum a member
and invites the contact as its admin in one transaction, or rejects with a reason; an application
is decided once, and its contact and the secretariat hear of each step by mail."""

import secrets
import threading

import pytest

from catalogue.cli import cli_actor
from catalogue.errors import Conflict, Forbidden, NotFound, TooManyRequests, ValidationFailed
from catalogue.models import Actor
from catalogue.service.accounts import actor_of

BOTH_DATABASES = pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])
SECRETARIAT = Actor(name="Sam Secretariat", role="admin", user_id=None)


@pytest.fixture
def app_settings(mail_sink):
    return mail_sink.settings()


def application_form(contact=None, **overrides) -> dict:
    """What a museum sends through the form, as the view hands it to the service. The contact's
    address is new in each test (the mail sink serves the whole session)."""
    form = {
        "names": [{"language": "en", "name": "Rijksmuseum"}, {"language": "nl", "name": "Rijksmuseum Amsterdam"}],
        "country": "NL",
        "city": "Amsterdam",
        "website": "https://www.rijksmuseum.nl/",
        "contact_name": "Ann de Vries",
        "contact_email": contact or f"ann-{secrets.token_hex(4)}@rijks.example",
        "description": "Dutch art and history from 1200 to now.",
        "ethics_agreed": True,
    }
    form.update(overrides)
    return form


def refused_fields(error: pytest.ExceptionInfo) -> set[str]:
    return {item["field"] for item in error.value.errors}


# applying ----------------------------------------------------------------------------------------
def test_an_application_waits_and_the_contact_and_each_secretariat_admin_hear_of_it(
    service, museum, make_account, mail_sink
):
    admin = make_account("admin")
    make_account("curator", museum.code)
    form = application_form()
    application_id = service.apply_for_membership(form, "192.0.2.1")
    stored = service.application(SECRETARIAT, application_id)
    assert stored["state"] == "pending"
    assert stored["names"] == {"en": ["Rijksmuseum"], "nl": ["Rijksmuseum Amsterdam"]}
    assert (stored["country"], stored["contact_email"], stored["ethics_agreed"]) == ("NL", form["contact_email"], True)
    confirmation = mail_sink.wait_for(form["contact_email"])
    assert f"number {application_id}" in confirmation.body
    review = mail_sink.wait_for(admin)
    assert review.links == [f"http://catalogue.test/admin/applications/{application_id}"]
    assert "Rijksmuseum" in review.body


def test_an_inactive_secretariat_admin_is_not_told(service, make_account, mail_sink):
    active, gone = make_account("admin"), make_account("admin")
    service.set_active(cli_actor(), service.store.user_by_email(gone)["id"], False)
    service.apply_for_membership(application_form(), "192.0.2.1")
    mail_sink.wait_for(active)
    assert mail_sink.to(gone) == []


def test_names_are_a_language_map_and_the_email_is_kept_lower_case(service):
    names = [{"language": "en", "name": "  Musée   Guimet "}, {"language": "FR", "name": "Musée Guimet"}]
    form = application_form(names=names, country="France", contact_email="Ann@Guimet.Example")
    stored = service.application(SECRETARIAT, service.apply_for_membership(form, "192.0.2.1"))
    assert stored["names"] == {"en": ["Musée Guimet"], "fr": ["Musée Guimet"]}
    assert (stored["country"], stored["contact_email"]) == ("FR", "ann@guimet.example")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"country": "US"}, "country"),  # not an ASEM partner
        ({"country": "Atlantis"}, "country"),
        ({"ethics_agreed": False}, "ethics_agreed"),
        ({"names": [{"language": "nl", "name": "Rijksmuseum"}]}, "names"),  # no English name
        ({"names": [{"language": "en", "name": "   "}]}, "names.0.name"),
        ({"names": [{"language": "not a tag!", "name": "Rijks"}]}, "names.0.language"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"city": " "}, "city"),
        ({"description": ""}, "description"),
        ({"description": "x" * 5001}, "description"),
    ],
)
def test_a_form_that_breaks_a_rule_is_refused_at_that_field(service, overrides, field):
    with pytest.raises(ValidationFailed) as refused:
        service.apply_for_membership(application_form(**overrides), "192.0.2.1")
    assert field in refused_fields(refused)
    assert service.applications(SECRETARIAT) == []


def test_a_form_with_its_trap_field_filled_is_dropped_quietly(service, make_account, mail_sink):
    admin, form = make_account("admin"), application_form()
    assert service.apply_for_membership(form, "192.0.2.1", honeypot="buy now") is None
    assert service.applications(SECRETARIAT) == []
    assert service.store.pending_mail() == []
    assert mail_sink.to(form["contact_email"]) == mail_sink.to(admin) == []


def test_one_address_sends_five_applications_an_hour(service):
    for number in range(5):
        service.apply_for_membership(application_form(f"c{number}@example.org"), "192.0.2.1")
    with pytest.raises(TooManyRequests):
        service.apply_for_membership(application_form("c6@example.org"), "192.0.2.1")
    assert service.apply_for_membership(application_form("c7@example.org"), "198.51.100.7")


# the secretariat's review ------------------------------------------------------------------------
@BOTH_DATABASES
def test_approval_makes_the_museum_a_member_and_invites_the_contact_as_its_admin(service, mail_sink):
    contact = f"ann-{secrets.token_hex(4)}@rijks.example"
    application_id = service.apply_for_membership(application_form(contact), "192.0.2.1")
    museum = service.approve_application(SECRETARIAT, application_id, "rijks", "Welcome aboard!")
    stored = service.museum("rijks")
    assert stored == museum
    assert (stored.status, stored.country, stored.city) == ("member", "NL", "Amsterdam")
    assert (stored.names, stored.website) == (
        {"en": ["Rijksmuseum"], "nl": ["Rijksmuseum Amsterdam"]},
        "https://www.rijksmuseum.nl/",
    )
    admin = service.store.user_by_email(contact)
    assert (admin["role"], admin["museum"], admin["name"]) == ("museum_admin", "rijks", "Ann de Vries")
    decided = service.application(SECRETARIAT, application_id)
    assert (decided["state"], decided["museum_code"], decided["decision_note"]) == (
        "approved",
        "rijks",
        "Welcome aboard!",
    )
    assert decided["decided_by"] == "Sam Secretariat" and decided["decided_at"] is not None
    actions = [(entry["action"], entry["museum"]) for entry in service.store.audit_entries()]
    assert ("museum_saved", "rijks") in actions and ("application_approved", "rijks") in actions
    assert ("user_created", "rijks") in actions
    welcome = mail_sink.wait_for(contact, 2)
    assert "Welcome aboard!" in welcome.body and "rijks" in welcome.body
    invitation = mail_sink.wait_for(contact, 3)
    assert invitation.path_of_link().startswith("/account/invitation/")


@BOTH_DATABASES
def test_an_application_is_decided_once(service):
    application_id = service.apply_for_membership(application_form(), "192.0.2.1")
    service.approve_application(SECRETARIAT, application_id, "rijks")
    with pytest.raises(Conflict):
        service.approve_application(SECRETARIAT, application_id, "rijks-2")
    with pytest.raises(Conflict):
        service.reject_application(SECRETARIAT, application_id, "Changed our mind.")
    assert service.store.get_museum("rijks-2") is None
    assert service.application(SECRETARIAT, application_id)["state"] == "approved"


@BOTH_DATABASES
def test_of_two_admins_deciding_at_once_one_succeeds_and_the_other_is_told(service):
    application_id = service.apply_for_membership(application_form(), "192.0.2.1")
    start, outcomes = threading.Barrier(2), []

    def approve(code: str) -> None:
        start.wait()
        try:
            service.approve_application(SECRETARIAT, application_id, code)
            outcomes.append("approved")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=approve, args=(code,)) for code in ("rijks-a", "rijks-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["approved", "conflict"]
    made = [code for code in ("rijks-a", "rijks-b") if service.store.get_museum(code) is not None]
    assert made == [service.application(SECRETARIAT, application_id)["museum_code"]]


@BOTH_DATABASES
def test_a_taken_code_is_a_conflict_and_changes_nothing(service, make_museum):
    make_museum("rijks", "NL")
    form = application_form()
    application_id = service.apply_for_membership(form, "192.0.2.1")
    with pytest.raises(Conflict) as refused:
        service.approve_application(SECRETARIAT, application_id, "rijks")
    assert refused_fields(refused) == {"code"}
    assert service.store.user_by_email(form["contact_email"]) is None
    assert service.application(SECRETARIAT, application_id)["state"] == "pending"


@BOTH_DATABASES
def test_a_contact_who_has_an_account_already_is_a_conflict_and_no_museum_is_made(service, museum, make_account):
    contact = make_account("curator", museum.code)
    application_id = service.apply_for_membership(application_form(contact), "192.0.2.1")
    with pytest.raises(Conflict, match=f"already an account for {contact}"):
        service.approve_application(SECRETARIAT, application_id, "rijks")
    assert service.store.get_museum("rijks") is None
    assert service.application(SECRETARIAT, application_id)["state"] == "pending"


@pytest.mark.parametrize("code", ["", "R", "Rijks Museum", "x" * 41, "-rijks"])
def test_a_code_must_be_a_valid_museum_code(service, code):
    application_id = service.apply_for_membership(application_form(), "192.0.2.1")
    with pytest.raises(ValidationFailed) as refused:
        service.approve_application(SECRETARIAT, application_id, code)
    assert "code" in refused_fields(refused)
    assert service.application(SECRETARIAT, application_id)["state"] == "pending"


def test_rejection_needs_a_reason_and_mails_it_to_the_contact(service, mail_sink):
    form = application_form()
    application_id = service.apply_for_membership(form, "192.0.2.1")
    with pytest.raises(ValidationFailed) as refused:
        service.reject_application(SECRETARIAT, application_id, "  ")
    assert refused_fields(refused) == {"reason"}
    service.reject_application(SECRETARIAT, application_id, "The museum is not in a partner country's register.")
    rejected = service.application(SECRETARIAT, application_id)
    assert (rejected["state"], rejected["museum_code"]) == ("rejected", None)
    mail = mail_sink.wait_for(form["contact_email"], 2)
    assert "not in a partner country's register" in mail.body
    assert service.store.get_museum("rijks") is None and service.store.user_by_email(form["contact_email"]) is None


# languages ---------------------------------------------------------------------------------------
def test_the_contact_hears_in_the_forms_language_and_each_secretariat_admin_in_their_own(
    service, make_account, mail_sink
):
    """The acknowledgement, the approval and the invitation that follows it are written in the
    language the museum applied in; the review notice in the language each admin chose."""
    german = make_account("admin")
    service.set_mail_language(actor_of(service.store.user_by_email(german)), "de")
    english = make_account("admin")
    form = application_form()
    application_id = service.apply_for_membership(form, "192.0.2.1", language="ja")
    contact = form["contact_email"]
    assert mail_sink.wait_for(contact).subject == "加盟申請の受付：名品バーチャルコレクション"
    assert mail_sink.wait_for(german).subject == f"Ein Aufnahmeantrag zur Prüfung (Nummer {application_id})"
    assert mail_sink.wait_for(english).subject == f"A membership application to review (number {application_id})"
    service.approve_application(SECRETARIAT, application_id, "rijks", "ようこそ")
    welcome, invitation = mail_sink.wait_for(contact, 2), mail_sink.wait_for(contact, 3)
    assert welcome.subject == "名品バーチャルコレクションへようこそ"
    assert "館コード：rijks" in welcome.body and "事務局からのメッセージ：\n\nようこそ" in welcome.body
    assert invitation.subject == "名品バーチャルコレクションへのご招待"
    assert "Rijksmuseum (rijks) の管理者" in invitation.body and "7日間有効" in invitation.body
    assert service.store.user_by_email(contact)["language"] == "ja"  # their later mail follows it


def test_the_review_notice_names_the_country_in_the_mails_language(service, make_account, mail_sink):
    """Not its ISO code ("Amsterdam, NL"): the country's name, as the pages name countries."""
    chinese = make_account("admin")
    service.set_mail_language(actor_of(service.store.user_by_email(chinese)), "zh")
    english = make_account("admin")
    service.apply_for_membership(application_form(), "192.0.2.1", language="de")
    assert "Amsterdam, 荷兰" in mail_sink.wait_for(chinese).body
    assert "Amsterdam, Netherlands" in mail_sink.wait_for(english).body


def test_a_rejection_is_written_in_the_forms_language(service, mail_sink):
    form = application_form()
    application_id = service.apply_for_membership(form, "192.0.2.1", language="fr")
    service.reject_application(SECRETARIAT, application_id, "Hors du réseau.")
    mail = mail_sink.wait_for(form["contact_email"], 2)
    assert mail.subject == "Votre candidature d’adhésion\u202f: Collection virtuelle de chefs-d’œuvre"
    assert f"votre candidature n°\u00a0{application_id}" in mail.body and "Hors du réseau." in mail.body


def test_an_application_in_no_interface_language_is_refused(service):
    with pytest.raises(ValidationFailed) as refused:
        service.apply_for_membership(application_form(), "192.0.2.1", language="nl")
    assert refused_fields(refused) == {"language"}
    assert service.applications(SECRETARIAT) == []


@pytest.mark.parametrize(
    "actor",
    [
        Actor(name="Ada", role="curator", museum="tate"),
        Actor(name="Bo", role="museum_admin", museum="tate"),
        Actor(name="public", role="public"),
    ],
)
def test_only_the_secretariat_reviews(service, actor):
    application_id = service.apply_for_membership(application_form(), "192.0.2.1")
    for review in (
        lambda: service.applications(actor),
        lambda: service.application(actor, application_id),
        lambda: service.approve_application(actor, application_id, "rijks"),
        lambda: service.reject_application(actor, application_id, "No."),
    ):
        with pytest.raises(Forbidden):
            review()
    assert service.application(SECRETARIAT, application_id)["state"] == "pending"


def test_the_list_shows_pending_first_then_the_newest(service):
    first, second, third = (
        service.apply_for_membership(application_form(f"c{n}@example.org"), "192.0.2.1") for n in range(3)
    )
    service.reject_application(SECRETARIAT, second, "No.")
    assert [a["id"] for a in service.applications(SECRETARIAT)] == [third, first, second]
    assert [a["id"] for a in service.applications(SECRETARIAT, "rejected")] == [second]
    assert service.application_counts(SECRETARIAT) == {"pending": 2, "approved": 0, "rejected": 1}
    with pytest.raises(ValidationFailed):
        service.applications(SECRETARIAT, "lost")


def test_an_unknown_application_is_not_found(service):
    for number in (1, 2**63):
        with pytest.raises(NotFound):
            service.application(SECRETARIAT, number)
        with pytest.raises(NotFound):
            service.approve_application(SECRETARIAT, number, "rijks")


def test_the_suggested_code_comes_from_the_english_name_and_is_free(service, make_museum):
    names = [{"language": "en", "name": "Musée Guimet"}, {"language": "ja", "name": "ギメ東洋美術館"}]
    application_id = service.apply_for_membership(application_form(names=names, country="FR"), "192.0.2.1")
    application = service.application(SECRETARIAT, application_id)
    assert service.suggested_code(application) == "musee-guimet"
    make_museum("musee-guimet", "FR")
    assert service.suggested_code(application) == "musee-guimet-2"
