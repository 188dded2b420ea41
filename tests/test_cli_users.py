"""`catalogue user create|list` and `catalogue mail send`: the command line makes the first
secretariat admin (password from stdin) or invites people by mail, lists accounts, and sends the
mail that is still queued."""

import secrets

import pytest

from catalogue.cli import cli_actor
from catalogue.mail import Mailer
from tests.support import post_form, sign_in

PASSPHRASE = "the secretariat's own passphrase"


@pytest.fixture
def app_settings(mail_sink):
    return mail_sink.settings()


def fresh_email(who: str) -> str:
    """An address no other test uses: the mail sink serves the whole run."""
    return f"{who}-{secrets.token_hex(4)}@network.example"


def create(runner, *args, stdin=None):
    return runner.invoke(args=["user", "create", *args], input=stdin)


def test_the_first_secretariat_admin_gets_a_password_from_stdin_and_signs_in(runner, client, mail_sink):
    email = fresh_email("sam")
    result = create(
        runner,
        "--email",
        email.upper(),
        "--name",
        "Sam",
        "--role",
        "admin",
        "--password-stdin",
        stdin=PASSPHRASE + "\n",
    )
    assert result.exit_code == 0, result.output
    assert f"{email} (admin)" in result.output
    assert sign_in(client, email, PASSPHRASE).status_code == 302
    assert client.get("/account/people").status_code == 200
    assert mail_sink.to(email) == []  # with a password there is nothing to mail


def test_without_a_password_the_person_is_invited_by_mail(app, runner, museum, mail_sink):
    email = fresh_email("ada")
    result = create(runner, "--email", email, "--name", "Ada", "--role", "curator", "--museum", "tate")
    assert result.exit_code == 0, result.output
    assert "curator of tate" in result.output and "invitation mailed" in result.output
    path = mail_sink.wait_for(email).path_of_link()
    invited = app.test_client()
    assert post_form(invited, path, {"password": PASSPHRASE, "confirm": PASSPHRASE}).status_code == 302


def test_the_invitation_is_written_in_the_language_the_command_names(runner, museum, mail_sink):
    email = fresh_email("mei")
    args = ("--email", email, "--name", "Mei", "--role", "curator", "--museum", "tate", "--language", "zh")
    assert create(runner, *args).exit_code == 0
    assert mail_sink.wait_for(email).subject == "精品虚拟馆藏的邀请"
    refused = create(runner, "--email", fresh_email("x"), "--name", "X", "--role", "admin", "--language", "xx")
    assert refused.exit_code == 2 and "'xx' is not one of" in refused.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--role", "admin", "--museum", "tate"], "Secretariat admins belong to no museum"),
        (["--role", "curator"], "Secretariat admins belong to no museum"),
        (["--role", "curator", "--museum", "nowhere"], "No museum with code 'nowhere'"),
    ],
)
def test_an_account_that_does_not_fit_is_refused_with_a_message(runner, museum, args, message):
    result = create(runner, "--email", fresh_email("eve"), "--name", "Eve", *args)
    assert result.exit_code == 2 and message in result.output


def test_a_short_password_from_stdin_is_refused(runner):
    result = create(
        runner, "--email", fresh_email("sam"), "--name", "Sam", "--role", "admin", "--password-stdin", stdin="short\n"
    )
    assert result.exit_code == 2 and "password" in result.output


def test_an_email_that_has_an_account_is_refused(runner, museum, make_account):
    taken = make_account("curator", "tate")
    result = create(runner, "--email", taken, "--name", "Ada", "--role", "curator", "--museum", "tate")
    assert result.exit_code == 2 and "already an account" in result.output


def test_user_list_shows_accounts_with_their_state(runner, make_museum, make_account):
    make_museum("tate", "GB")
    make_museum("rijks", "NL")
    turner = make_account("curator", "tate", name="Turner Curator")
    rembrandt = make_account("museum_admin", "rijks", name="Rembrandt Admin")
    invited = fresh_email("new")
    create(runner, "--email", invited, "--name", "New Curator", "--role", "curator", "--museum", "tate")

    everyone = runner.invoke(args=["user", "list"]).output
    assert everyone.splitlines()[0].startswith("id\temail\tname\trole\tmuseum\tstate")
    assert f"{turner}\tTurner Curator\tcurator\ttate\tactive" in everyone
    assert f"{rembrandt}\tRembrandt Admin\tmuseum_admin\trijks\tactive" in everyone
    assert f"{invited}\tNew Curator\tcurator\ttate\tinvited" in everyone
    tate_only = runner.invoke(args=["user", "list", "--museum", "tate"]).output
    assert turner in tate_only and rembrandt not in tate_only


def test_mail_send_sends_what_the_server_refused_before(app, runner, service, museum, mail_sink):
    email = fresh_email("grace")
    service.mailer = Mailer(server="127.0.0.1", port=1)  # nothing listens there
    result = create(runner, "--email", email, "--name", "Grace", "--role", "curator", "--museum", "tate")
    assert result.exit_code == 0 and "invitation queued; unsent mail 1" in result.output
    failing = runner.invoke(args=["mail", "send"])
    assert failing.exit_code == 1 and "mail sent 0, failed 1" in failing.output

    service.mailer = Mailer.from_config(app.config)
    sent = runner.invoke(args=["mail", "send"])
    assert sent.exit_code == 0 and "mail sent 1, failed 0" in sent.output
    assert mail_sink.wait_for(email).path_of_link().startswith("/account/invitation/")
    assert runner.invoke(args=["mail", "send"]).output.strip() == "mail sent 0, failed 0"


def test_if_missing_leaves_an_existing_account_alone(runner, service, mail_sink):
    """`make demo` creates its secretariat admin with --if-missing, so running it again is safe."""
    email = fresh_email("demo")
    args = ["--email", email, "--name", "Demo", "--role", "admin", "--if-missing"]
    first, again = create(runner, *args), create(runner, *args)
    assert first.exit_code == 0 and "created account" in first.output
    assert again.exit_code == 0 and "has an account already" in again.output
    assert [user["email"] for user in service.users(cli_actor())].count(email) == 1
    assert len(mail_sink.wait_for(email).links) == 1 and len(mail_sink.to(email)) == 1
