"""The language of each person's mail: an invitation is written in the language its sender chose,
and so is the person's later mail, until they choose another on their account page (an account
without one takes the language of the page its mailed link was accepted on). Anything but one of
the interface languages is refused."""

import secrets

import pytest

from catalogue.errors import ValidationFailed
from tests.support import PASSWORD

NEW_PASSWORD = "a fresh and long passphrase"


@pytest.fixture
def app_settings(mail_sink):
    return mail_sink.settings()


@pytest.fixture
def admin(service, museum, make_account):
    return service.authenticate(make_account("museum_admin", museum.code), PASSWORD, "127.0.0.1")[0]


def test_an_invitation_is_written_in_the_language_the_inviter_chose_and_so_is_the_next(
    service, museum, admin, mail_sink
):
    email = f"min-{secrets.token_hex(3)}@tate.example"
    service.invite(admin, museum.code, email, "Min-ji Park", language="ko")
    invitation = mail_sink.wait_for(email)
    assert invitation.subject == "명품 가상 컬렉션 초대"
    assert "Min-ji Park 님께" in invitation.body and "Tate (tate)의 소장품 기록" in invitation.body
    assert "7일 동안" in invitation.body
    service.invite_again(admin, service.store.user_by_email(email)["id"])
    assert mail_sink.wait_for(email, 2).subject == "명품 가상 컬렉션 초대"


def test_an_invitation_in_no_interface_language_is_refused_and_makes_no_account(service, museum, admin, mail_sink):
    email = f"x-{secrets.token_hex(3)}@tate.example"
    with pytest.raises(ValidationFailed) as refused:
        service.invite(admin, museum.code, email, "X", language="xx")
    assert [item["field"] for item in refused.value.errors] == ["language"]
    assert service.store.user_by_email(email) is None and mail_sink.to(email) == []


def test_accepting_a_link_gives_the_pages_language_only_to_an_account_without_one(service, museum, admin, mail_sink):
    """A mailed link names no language, so the page's is the browser's: it must not undo a choice."""
    chosen, unset = f"lea-{secrets.token_hex(3)}@tate.example", f"ravi-{secrets.token_hex(3)}@tate.example"
    service.invite(admin, museum.code, chosen, "Léa", language="de")  # the inviter chose German
    service.invite(admin, museum.code, unset, "Ravi")  # no language chosen
    for email in (chosen, unset):
        secret = mail_sink.wait_for(email).path_of_link().rsplit("/", 1)[1]
        service.use_link("invite", secret, NEW_PASSWORD, "fr")  # both read the site in French
    assert [service.store.user_by_email(email)["language"] for email in (chosen, unset)] == ["de", "fr"]


def test_the_person_chooses_the_language_of_their_own_mail(service, museum, admin, mail_sink):
    email = f"lea-{secrets.token_hex(3)}@tate.example"
    service.invite(admin, museum.code, email, "Léa", language="de")
    secret = mail_sink.wait_for(email).path_of_link().rsplit("/", 1)[1]
    actor, _ = service.use_link("invite", secret, NEW_PASSWORD, "fr")
    assert service.set_mail_language(actor, "ja") == "ja" and service.mail_language_of(actor) == "ja"
    assert service.set_mail_language(actor, "") is None  # English, as before any choice
    with pytest.raises(ValidationFailed):
        service.set_mail_language(actor, "klingon")
    assert service.mail_language_of(actor) is None
