"""Mail leaves through SMTP after the change that causes it has committed; a server that refuses
it leaves the mail queued for the next try, and a sent mail keeps no body (it may hold a link)."""

import re
from email.utils import parsedate_to_datetime

import pytest

from catalogue.cli import cli_actor


@pytest.fixture
def app_settings(mail_sink):
    return mail_sink.settings()


def test_an_invitation_arrives_with_a_link_to_choose_a_password(service, museum, mail_sink):
    service.create_account(cli_actor(), "ada@tate.example", "Ada", "curator", museum.code)
    mail = mail_sink.wait_for("ada@tate.example")
    assert "invitation" in mail.subject.lower()
    assert "Dear Ada" in mail.body and "to curate the records of Tate (tate)" in mail.body
    assert mail.path_of_link().startswith("/account/invitation/")
    assert service.store.pending_mail() == []


def test_mail_the_server_refuses_stays_queued(app, service, museum, mail_sink):
    from catalogue.mail import Mailer

    service.mailer = Mailer(server="127.0.0.1", port=1)  # nothing listens there
    service.create_account(cli_actor(), "grace@tate.example", "Grace", "curator", museum.code)
    [queued] = service.store.pending_mail()
    assert queued["attempts"] == 1 and queued["last_error"]
    service.mailer = Mailer.from_config(app.config)
    assert service.send_mail() == (1, 0)
    assert mail_sink.wait_for("grace@tate.example").links


def test_a_mail_carries_its_date_and_message_id(service, museum, mail_sink):
    """RFC 5322 asks for both, and spam filters mark a mail without them."""
    service.create_account(cli_actor(), "mary@tate.example", "Mary", "curator", museum.code)
    headers = mail_sink.wait_for("mary@tate.example").headers
    assert parsedate_to_datetime(headers["Date"]).tzinfo is not None
    assert re.fullmatch(r"<[^@<>]+@catalogue\.test>", headers["Message-ID"])  # the sender's domain


def test_replies_go_to_the_secretariat_when_its_address_is_not_the_senders(app, service, museum, mail_sink):
    """A rejection invites a reply, and an invitee may have a question: with ADMIN_EMAIL set,
    Reply-To names it; without it (or when it is the sender's) replies reach the sender anyway."""
    from catalogue.mail import Mailer

    service.create_account(cli_actor(), "noor@tate.example", "Noor", "curator", museum.code)
    assert "Reply-To" not in mail_sink.wait_for("noor@tate.example").headers
    service.mailer = Mailer.from_config({**app.config, "ADMIN_EMAIL": "Secretariat <office@catalogue.test>"})
    service.create_account(cli_actor(), "lin@tate.example", "Lin", "curator", museum.code)
    assert mail_sink.wait_for("lin@tate.example").headers["Reply-To"] == "Secretariat <office@catalogue.test>"
    service.mailer = Mailer.from_config({**app.config, "ADMIN_EMAIL": "Secretariat@Catalogue.test"})  # the sender
    service.create_account(cli_actor(), "kai@tate.example", "Kai", "curator", museum.code)
    assert "Reply-To" not in mail_sink.wait_for("kai@tate.example").headers
