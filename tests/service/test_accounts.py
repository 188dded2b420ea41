"""Who may create and manage which accounts, and what the account rules keep true: one account per
email, roles that fit their museum, a current password needed (and guesses limited) to change it,
tokens that only their owner revokes, and deactivation that takes sessions and tokens with it."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from catalogue.cli import cli_actor
from catalogue.errors import Conflict, Forbidden, NotFound, TooManyRequests, ValidationFailed
from catalogue.models import Actor
from catalogue.service.accounts import RESET
from catalogue.store import now
from catalogue.store import tables as t
from tests.support import PASSWORD

NEW_PASSWORD = "a fresh and long passphrase"


@pytest.fixture
def rijks(make_museum):
    return make_museum("rijks", "NL")


@pytest.fixture
def account(service, make_account):
    """make_account, then sign in: the account's actor (and session version)."""

    def signed_in(role="curator", museum="tate", **extra):
        return service.authenticate(make_account(role, museum, **extra), PASSWORD, "127.0.0.1")

    return signed_in


def test_a_museum_admin_creates_accounts_for_their_museum_only(service, museum, rijks, account):
    admin, _ = account("museum_admin")
    service.invite(admin, "tate", "ada@tate.example", "Ada", "curator")
    service.invite(admin, "tate", "bo@tate.example", "Bo", "museum_admin")
    with pytest.raises(Forbidden):
        service.invite(admin, "rijks", "eve@rijks.example", "Eve", "curator")
    with pytest.raises(Forbidden):
        service.invite(admin, None, "eve@network.example", "Eve", "admin")
    with pytest.raises(Forbidden):  # rights are checked before the role's museum rule
        service.invite(admin, "tate", "eve@network.example", "Eve", "admin")
    assert {u["email"] for u in service.users(admin)} >= {"ada@tate.example", "bo@tate.example"}


def test_curators_create_no_accounts_and_see_no_list(service, museum, account):
    curator, _ = account("curator")
    with pytest.raises(Forbidden):
        service.invite(curator, "tate", "ada@tate.example", "Ada", "curator")
    with pytest.raises(Forbidden):
        service.users(curator)


def test_roles_must_fit_their_museum(service, museum):
    cases = [("admin", "tate", "museum"), ("curator", None, "museum"), ("painter", "tate", "role")]
    for role, museum_code, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            service.invite(cli_actor(), museum_code, "ada@tate.example", "Ada", role)
        assert refused.value.errors[0]["field"] == field, role
    with pytest.raises(ValidationFailed) as unknown:
        service.invite(cli_actor(), "nowhere", "ada@tate.example", "Ada", "curator")
    assert unknown.value.errors == [{"field": "museum", "message": "Unknown."}]


def test_one_account_per_email_whatever_its_case(service, museum):
    service.invite(cli_actor(), "tate", "Ada@Tate.example", "Ada")
    with pytest.raises(Conflict) as taken:
        service.invite(cli_actor(), "tate", " ada@tate.EXAMPLE ", "Ada again")
    assert taken.value.errors[0]["field"] == "email"


def test_changing_the_password_needs_the_current_one_and_limits_guesses(service, museum, account):
    curator, version = account("curator")
    for _ in range(5):
        with pytest.raises(ValidationFailed) as wrong:
            service.change_password(curator, "a wrong guess", NEW_PASSWORD)
        assert wrong.value.errors[0]["field"] == "current"
    with pytest.raises(TooManyRequests):
        service.change_password(curator, PASSWORD, NEW_PASSWORD)
    assert service.actor_for_session(curator.user_id, version) == curator  # nothing changed


@pytest.mark.parametrize(
    ("ago", "message"),
    [
        ([3, 2, 2, 1, 0], "wait 12 minutes"),  # the oldest of the five leaves the 15-minute window in 12
        ([30, 14.5, 10, 5, 1, 0], "wait a minute"),  # one is out already; the oldest in leaves in half a minute
        ([14, 13, 13, 13, 13, 12], "wait 2 minutes"),  # six in: the fifth newest decides, not the oldest
    ],
)
def test_a_refusal_names_the_wait_until_one_attempt_leaves_the_window(service, museum, make_account, ago, message):
    email = make_account("curator", museum.code)
    with service.store.transaction() as conn:
        conn.execute(
            t.rate_events.insert(),
            [{"key": f"sign-in-account:{email}", "at": now() - timedelta(minutes=minutes)} for minutes in ago],
        )
    with pytest.raises(TooManyRequests) as refused:
        service.authenticate(email, PASSWORD, "127.0.0.1")
    assert message in str(refused.value)


def test_a_new_password_ends_the_old_sessions_and_returns_the_new_one(service, museum, account):
    curator, version = account("curator")
    new_version = service.change_password(curator, PASSWORD, NEW_PASSWORD)
    assert service.actor_for_session(curator.user_id, version) is None
    assert service.actor_for_session(curator.user_id, new_version) == curator
    assert [e["action"] for e in service.store.audit_entries()][-1] == "password_changed"


def test_only_the_owner_revokes_a_token(service, museum, account):
    curator, _ = account("curator")
    colleague, _ = account("museum_admin")
    token, token_id = service.create_own_token(curator, "sync")
    with pytest.raises(NotFound):
        service.revoke_own_token(colleague, token_id)
    with pytest.raises(NotFound):
        service.revoke_own_token(Actor(name="nobody", role="curator", museum="tate"), token_id)
    assert service.actor_for_token(token) == curator
    service.revoke_own_token(curator, token_id)
    assert service.actor_for_token(token) is None
    assert [t["state"] for t in service.own_tokens(curator)] == ["revoked"]


def test_a_token_lifetime_must_be_positive(service, museum, account):
    curator, _ = account("curator")
    with pytest.raises(ValidationFailed) as refused:
        service.create_own_token(curator, "sync", timedelta(days=-1))
    assert refused.value.errors[0]["field"] == "expires_in"


def test_deactivation_ends_sessions_and_tokens_and_spares_the_deactivator(service, museum, account):
    admin, _ = account("museum_admin")
    curator, version = account("curator")
    token, _ = service.create_own_token(curator, "sync")
    with pytest.raises(Conflict):
        service.set_active(admin, admin.user_id, False)
    service.set_active(admin, curator.user_id, False)
    assert service.actor_for_session(curator.user_id, version) is None
    assert service.actor_for_token(token) is None
    service.set_active(admin, curator.user_id, True)
    assert service.actor_for_token(token) is None  # reactivating does not bring tokens back


def mail_to(service, email: str) -> list[dict]:
    with service.store.reading() as conn:
        query = sa.select(t.mail_outbox).where(t.mail_outbox.c.recipient == email)
        return [dict(row) for row in conn.execute(query).mappings()]


def test_a_deactivated_account_gets_no_reset_link(service, museum, account):
    admin, _ = account("museum_admin")
    curator, _ = account("curator")
    colleague, _ = account("curator")
    service.set_active(admin, curator.user_id, False)
    service.request_password_reset(curator.email, "127.0.0.1")
    service.request_password_reset(colleague.email, "127.0.0.1")
    assert mail_to(service, curator.email) == [] and len(mail_to(service, colleague.email)) == 1
    with pytest.raises(NotFound):
        service.link_owner(RESET, "a guessed secret")
