"""Accounts: signing in (passwords hashed with werkzeug's scrypt, failed attempts rate-limited),
sessions that end when the password changes, invitations and password resets by single-use
links sent by mail, and who may manage whose account."""

import hashlib
import math
import secrets
import threading
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from werkzeug.security import check_password_hash, generate_password_hash

from catalogue.catalogues import INTERFACE_LANGUAGES, translated
from catalogue.errors import Conflict, Forbidden, NotAuthenticated, NotFound, TooManyRequests, ValidationFailed
from catalogue.messages import N_, Message
from catalogue.models import ADMIN, CURATOR, MUSEUM_ADMIN, ROLES, Actor
from catalogue.service.base import NO_MUSEUM, ServiceBase, audit_entry
from catalogue.store import now

INVITE, RESET = "invite", "reset"
INVITATION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=2)
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
LINK_NOT_VALID = N_("This link is not valid: it has expired or has been used. Ask for a new one.")
GIVE_NAME = N_("Give the person's name.")
REQUIRED = N_("Required.")
UNKNOWN = N_("Unknown.")
INVITE_SUBJECT = N_("Your invitation to the Virtual Collection of Masterpieces")
INVITED = {
    ADMIN: N_(
        "Dear %(name)s,\n\nyou have been invited to join the network's secretariat in the Virtual Collection "
        "of Masterpieces."
    ),
    MUSEUM_ADMIN: N_(
        "Dear %(name)s,\n\nyou have been invited to administer %(museum)s: its records and the people who "
        "curate them in the Virtual Collection of Masterpieces."
    ),
    CURATOR: N_(
        "Dear %(name)s,\n\nyou have been invited to curate the records of %(museum)s in the Virtual Collection "
        "of Masterpieces."
    ),
}
INVITE_LINK = N_("Choose your password here (the link works once, for %(days)s days):\n%(link)s\n")
RESET_SUBJECT = N_("Reset your password: Virtual Collection of Masterpieces")
RESET_BODY = N_(
    "Someone (we hope you) asked to reset the password of this account.\n\n"
    "Choose a new password here (the link works once, for %(hours)s hours):\n%(link)s\n\n"
    "If it was not you, ignore this mail: your password stays as it is.\n"
)


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` events of one key within ``window``."""

    name: str
    limit: int
    window: timedelta


SIGN_IN_PER_ACCOUNT = RateLimit("sign-in-account", 5, timedelta(minutes=15))
SIGN_IN_PER_ADDRESS = RateLimit("sign-in-address", 30, timedelta(minutes=15))
RESET_PER_ACCOUNT = RateLimit("reset-account", 3, timedelta(hours=1))
RESET_PER_ADDRESS = RateLimit("reset-address", 10, timedelta(hours=1))


def normal_email(email) -> str:
    """Emails are compared and stored lower-cased; a value without one '@' is refused."""
    text = str(email or "").strip().lower()
    local, at, domain = text.partition("@")
    if not at or not local or "." not in domain or len(text) > 320 or any(c.isspace() for c in text) or _controls(text):
        raise ValidationFailed(
            N_("Enter a valid email address."), [{"field": "email", "message": N_("Not an email address.")}]
        )
    return text


def check_password_rules(password, email: str | None = None) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise ValidationFailed(
            N_("Choose a password of %(least)s to %(most)s characters."),
            [
                {
                    "field": "password",
                    "message": Message(N_("At least %(least)s characters."), least=MIN_PASSWORD_LENGTH),
                }
            ],
            least=MIN_PASSWORD_LENGTH,
            most=MAX_PASSWORD_LENGTH,
        )
    if email and password.strip().lower() == email:
        raise ValidationFailed(
            N_("The password must not be your email address."),
            [{"field": "password", "message": N_("Must not be your email address.")}],
        )
    return password


def mail_language(language) -> str | None:
    """The interface language a person's mail is to be written in (None: English, as before it
    was asked); a form may send anything, so anything else is refused."""
    if language in (None, ""):
        return None
    if language not in INTERFACE_LANGUAGES:
        raise ValidationFailed(
            N_("Choose one of the interface languages."), [{"field": "language", "message": UNKNOWN}]
        )
    return language


def actor_of(user: dict) -> Actor:
    return Actor(name=user["name"], role=user["role"], museum=user["museum"], user_id=user["id"], email=user["email"])


class AccountRules(ServiceBase):
    # accounts ------------------------------------------------------------------------------
    def create_account(
        self,
        actor: Actor,
        email,
        name: str,
        role: str,
        museum: str | None = None,
        password: str | None = None,
        language: str | None = None,
    ) -> int:
        """A new account. With a password it can sign in at once (the command line makes the first
        secretariat admin so); without one, an invitation mail (in ``language``) asks its owner to
        choose one."""
        museum = museum or None
        if not actor.is_secretariat and (role == ADMIN or not actor.may_manage_users(museum)):
            raise Forbidden(f"{actor.name} may not create accounts for {museum or 'the secretariat'}.")
        email, role = normal_email(email), self._valid_role(role, museum)
        if museum is not None and (len(museum) > 40 or _controls(museum) or self.store.get_museum(museum) is None):
            raise ValidationFailed(NO_MUSEUM, [{"field": "museum", "message": UNKNOWN}], code=repr(museum))
        hashed = self._hash(check_password_rules(password, email)) if password is not None else None
        language = mail_language(language)
        with self.store.transaction() as conn:
            user_id = self._add_account(conn, actor, email, name, role, museum, hashed, language)
        self._mail_written()
        return user_id

    def _add_account(
        self,
        conn,
        actor: Actor,
        email: str,
        name: str,
        role: str,
        museum: str | None,
        hashed: str | None,
        language: str | None = None,
    ) -> int:
        """The account's row, its audit entry and (without a password) its invitation mail, in the
        caller's transaction (membership approval creates the museum in the same one). The caller
        has checked the rights and ``language`` and calls ``_mail_written()`` after the commit."""
        if self.store.user_by_email(email, conn) is not None:
            raise Conflict(
                N_("There is already an account for %(email)s."),
                [{"field": "email", "message": N_("Already has an account.")}],
                email=email,
            )
        user_id = self.store.create_user(conn, _name(name), role, museum, email, hashed, language)
        if hashed is None:
            self._send_link(conn, user_id, email, INVITE, language)
        self.store.append_audit(
            conn, [audit_entry(actor, museum, None, "user_created", None, {"user": user_id, "role": role})]
        )
        return user_id

    def _hash(self, password: str) -> str:
        return generate_password_hash(password, method=self.password_hash_method)

    def _unknown_user_hash(self) -> str:
        """A hash to check against when the email is unknown, made the same way as the real ones, so
        that a wrong email takes as long as a wrong password."""
        if self._dummy_hash is None:
            self._dummy_hash = self._hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    def account_exists(self, email) -> bool:
        return self.store.user_by_email(str(email or "")) is not None

    def invite(
        self, actor: Actor, museum: str | None, email, name: str, role: str = CURATOR, language: str | None = None
    ) -> int:
        """A museum admin invites a curator or another museum admin to their museum; the secretariat
        invites to any museum, and invites secretariat admins (no museum) too. The invited person
        chooses a password through the link in the invitation mail, written in ``language`` (the
        inviter knows which the person reads; their later mail follows it too)."""
        return self.create_account(actor, email, name, role, museum, language=language)

    def _valid_role(self, role: str, museum: str | None) -> str:
        if role not in ROLES:
            raise ValidationFailed(f"Unknown role {role!r}.", [{"field": "role", "message": "Unknown role."}])
        if (role == ADMIN) != (not museum):
            raise ValidationFailed(
                N_("Secretariat admins belong to no museum; curators and museum admins to one."),
                [
                    {
                        "field": "museum",
                        "message": N_("Required for this role.") if museum is None else N_("Not for this role."),
                    }
                ],
            )
        return role

    def users(self, actor: Actor, museum: str | None = None) -> list[dict]:
        """The accounts ``actor`` manages: one museum's, or (secretariat) every account."""
        if museum is None and not actor.is_secretariat:
            museum = actor.museum
        if museum is not None and (len(museum) > 40 or _controls(museum)):
            raise ValidationFailed(NO_MUSEUM, [{"field": "museum", "message": UNKNOWN}], code=repr(museum))
        if not actor.may_manage_users(museum):
            raise Forbidden(f"{actor.name} may not see the accounts of {museum!r}.")
        return self.store.list_users(museum)

    def invite_again(self, actor: Actor, user_id: int) -> dict:
        """A new invitation for someone who has not chosen a password yet (the first one expired or
        got lost); the earlier link stops working."""
        with self.store.transaction() as conn:
            user = self._managed_user(conn, actor, user_id)
            if not user["active"] or self.store.password_hash_of(user_id, conn):
                raise Conflict(
                    N_("%(name)s has accepted the invitation already, or is deactivated."), name=user["name"]
                )
            self._send_link(conn, user_id, user["email"], INVITE, user["language"])
            self.store.append_audit(
                conn, [audit_entry(actor, user["museum"], None, "user_invited_again", None, {"user": user_id})]
            )
        self._mail_written()
        return user

    def set_active(self, actor: Actor, user_id: int, active: bool) -> dict:
        """Deactivating ends the account's sessions and revokes its tokens; reactivating does not
        bring the tokens back."""
        with self.store.transaction() as conn:
            user = self._managed_user(conn, actor, user_id)
            if user["id"] == actor.user_id:
                raise Conflict(N_("You cannot deactivate your own account."))
            self.store.update_user(conn, user_id, active=active)
            if not active:
                self.store.end_sessions(conn, user_id)
                self.store.revoke_tokens_of(conn, user_id)
            action = "user_activated" if active else "user_deactivated"
            self.store.append_audit(conn, [audit_entry(actor, user["museum"], None, action, None, {"user": user_id})])
        return {**user, "active": active}

    def _managed_user(self, conn, actor: Actor, user_id: int) -> dict:
        user = self.store.user(user_id, conn) if 0 < user_id < 2**31 else None  # ids are 32-bit in the database
        if user is None:
            raise NotFound(N_("No account with id %(id)s."), id=user_id)
        if not actor.may_manage_users(user["museum"]) or (user["role"] == ADMIN and not actor.is_secretariat):
            raise Forbidden(f"{actor.name} may not manage this account.")
        return user

    # signing in ----------------------------------------------------------------------------
    def authenticate(self, email, password, address: str) -> tuple[Actor, int]:
        """The actor and session version for a right email and password. Failures are counted per
        account and per address; past the limit even a right password is refused for a while. The
        password check (deliberately slow) runs outside any transaction."""
        email = "".join(c for c in str(email or "").strip().lower() if not _controls(c))
        account_key, address_key = f"{SIGN_IN_PER_ACCOUNT.name}:{email}", f"{SIGN_IN_PER_ADDRESS.name}:{address}"
        with self.store.reading() as conn:
            self._refuse_over(conn, SIGN_IN_PER_ACCOUNT, account_key)
            self._refuse_over(conn, SIGN_IN_PER_ADDRESS, address_key)
            user = self.store.user_by_email(email, conn) if email else None
            stored = self.store.password_hash_of(user["id"], conn) if user else None
        right = check_password_hash(stored or self._unknown_user_hash(), str(password or ""))
        with self.store.transaction() as conn:
            if not (right and user and stored and user["active"]):
                self._count(conn, SIGN_IN_PER_ACCOUNT, account_key)
                self._count(conn, SIGN_IN_PER_ADDRESS, address_key)
                user = None
            else:
                self.store.clear_events(conn, _bounded(account_key))
                self.store.update_user(conn, user["id"], last_login_at=now())
        if user is None:  # raised after the commit, so that the failure is counted
            raise NotAuthenticated(N_("The email or password is not right, or the account is not active."))
        return actor_of(user), user["session_version"]

    def actor_for_session(self, user_id, session_version) -> Actor | None:
        """The actor of a session cookie, while the account is active and its password unchanged."""
        if not isinstance(user_id, int) or not isinstance(session_version, int):
            return None
        user = self.store.user(user_id)
        if user is None or not user["active"] or user["session_version"] != session_version:
            return None
        return actor_of(user)

    def session_version(self, user_id: int) -> int:
        user = self.store.user(user_id)
        if user is None:
            raise NotFound("No such account.")
        return user["session_version"]

    def end_all_sessions(self, actor: Actor) -> None:
        """Sign out everywhere: every session cookie of this account stops working."""
        if actor.user_id is None:
            raise Forbidden("Only a signed-in account ends its sessions.")
        with self.store.transaction() as conn:
            self.store.end_sessions(conn, actor.user_id)
            self.store.append_audit(
                conn, [audit_entry(actor, actor.museum, None, "sessions_ended", None, {"user": actor.user_id})]
            )

    def mail_language_of(self, actor: Actor) -> str | None:
        """The interface language the signed-in person's mail is written in (None: English)."""
        user = self.store.user(actor.user_id) if actor.user_id is not None else None
        return user["language"] if user else None

    def set_mail_language(self, actor: Actor, language) -> str | None:
        """The person chooses the language of their own mail (resets, notices); no one else's.
        Returns the language kept (None: English)."""
        if actor.user_id is None:
            raise NotAuthenticated("Sign in to choose the language of your mail.")
        language = mail_language(language)
        with self.store.transaction() as conn:
            self.store.update_user(conn, actor.user_id, language=language)
        return language

    def change_password(self, actor: Actor, current: str, new: str) -> int:
        """Returns the new session version (this session stays signed in, the others end)."""
        if actor.user_id is None or actor.email is None:
            raise Forbidden("Only a signed-in account changes its password.")
        # wrong current passwords count as failed sign-ins: a borrowed session cannot guess the password
        account_key = f"{SIGN_IN_PER_ACCOUNT.name}:{actor.email}"
        with self.store.reading() as conn:
            self._refuse_over(conn, SIGN_IN_PER_ACCOUNT, account_key)
        stored = self.store.password_hash_of(actor.user_id)
        if not stored or not check_password_hash(stored, str(current or "")):
            with self.store.transaction() as conn:
                self._count(conn, SIGN_IN_PER_ACCOUNT, account_key)
            raise ValidationFailed(
                N_("The current password is not right."), [{"field": "current", "message": N_("Not right.")}]
            )
        hashed = self._hash(check_password_rules(new, actor.email))
        with self.store.transaction() as conn:
            self.store.set_password(conn, actor.user_id, hashed)
            self.store.append_audit(
                conn, [audit_entry(actor, actor.museum, None, "password_changed", None, {"user": actor.user_id})]
            )
        return self.session_version(actor.user_id)

    def _refuse_over(self, conn, limit: RateLimit, key: str) -> None:
        """Refuse while the window holds ``limit`` events, saying how long until one leaves it:
        the wait the refusal names is the one that works, not the whole window."""
        moment = now()
        times = self.store.event_times(conn, _bounded(key), moment - limit.window)
        if len(times) < limit.limit:
            return
        free_at = times[len(times) - limit.limit] + limit.window
        minutes = max(1, math.ceil((free_at - moment).total_seconds() / 60))
        if minutes == 1:
            raise TooManyRequests(N_("Too many attempts; wait a minute and try again."))
        raise TooManyRequests(N_("Too many attempts; wait %(minutes)s minutes and try again."), minutes=minutes)

    def _count(self, conn, limit: RateLimit, key: str) -> None:
        self.store.add_event(conn, _bounded(key), prune_before=now() - limit.window)

    def rate_limited(self, limit: RateLimit, key: str) -> None:
        """Count one event of ``key`` and refuse it when ``limit`` is already reached (forms that
        anyone may send: applications, reset requests)."""
        with self.store.transaction() as conn:
            self._refuse_over(conn, limit, f"{limit.name}:{key}")
            self._count(conn, limit, f"{limit.name}:{key}")

    # single-use links ----------------------------------------------------------------------
    def request_password_reset(self, email, address: str, language: str | None = None) -> None:
        """Mails a reset link when the account exists and is active, in ``language`` (the one the
        form was sent in; None: English); says nothing either way, so that the form does not tell
        who has an account."""
        try:
            email = normal_email(email)
        except ValidationFailed:
            return
        self.rate_limited(RESET_PER_ADDRESS, address)
        self.rate_limited(RESET_PER_ACCOUNT, email)
        with self.store.transaction() as conn:
            user = self.store.user_by_email(email, conn)
            if user is None or not user["active"]:
                return
            self._send_link(conn, user["id"], email, RESET, language)
        # sent after the answer, so that how long the form takes does not tell who has an account
        threading.Thread(target=self._mail_written, name="reset-mail", daemon=True).start()

    def link_owner(self, purpose: str, secret: str) -> dict:
        """The account a live invitation or reset link belongs to (for the page that uses it)."""
        user_id = self.store.action_token_user(purpose, str(secret), now())
        user = self.store.user(user_id) if user_id is not None else None
        if user is None or not user["active"]:
            raise NotFound(LINK_NOT_VALID)
        return user

    def use_link(self, purpose: str, secret: str, password: str, language: str | None = None) -> tuple[Actor, int]:
        """Set the password an invitation or reset link asks for; the link then stops working and
        the account is signed in (actor and session version). An account with no mail language yet
        takes the page's ``language``, the one its owner reads us in; one that has a language (the
        inviter's choice, or their own) keeps it: a mailed link names none, so the browser's decides."""
        language = mail_language(language)
        with self.store.transaction() as conn:
            user_id = self.store.action_token_user(purpose, str(secret), now(), conn)
            user = self.store.user(user_id, conn) if user_id is not None else None
            if user is None or not user["active"]:
                raise NotFound(LINK_NOT_VALID)
            self.store.set_password(conn, user["id"], self._hash(check_password_rules(password, user["email"])))
            self.store.use_action_token(conn, str(secret))
            self.store.update_user(conn, user["id"], last_login_at=now(), language=user["language"] or language)
            # the mailbox is proven: wrong guesses before the reset no longer bar the new password
            self.store.clear_events(conn, _bounded(f"{SIGN_IN_PER_ACCOUNT.name}:{user['email']}"))
            action = "invitation_accepted" if purpose == INVITE else "password_reset"
            self.store.append_audit(
                conn, [audit_entry(actor_of(user), user["museum"], None, action, None, {"user": user["id"]})]
            )
        return actor_of(user), self.session_version(user["id"])

    def _send_link(self, conn, user_id: int, email: str, purpose: str, language: str | None = None) -> None:
        """A new single-use link for ``purpose``, mailed in ``language`` (None: English)."""
        secret = secrets.token_urlsafe(32)
        lifetime = INVITATION_LIFETIME if purpose == INVITE else RESET_LIFETIME
        self.store.add_action_token(conn, user_id, purpose, secret, now() + lifetime)
        path = "invitation" if purpose == INVITE else "reset"
        link = f"{self.base_url}/account/{path}/{secret}"
        if purpose == INVITE:
            subject = translated(language, INVITE_SUBJECT)
            invited = self._invited_as(conn, user_id, language)
            body = f"{invited}\n\n{translated(language, INVITE_LINK, days=INVITATION_LIFETIME.days, link=link)}"
        else:
            subject = translated(language, RESET_SUBJECT)
            body = translated(language, RESET_BODY, hours=int(RESET_LIFETIME.total_seconds() // 3600), link=link)
        self.store.queue_mail(conn, email, subject, body)

    def _invited_as(self, conn, user_id: int, language: str | None) -> str:
        """What an invitation says the person is invited to do, and for which museum (named in
        ``language`` when it has a name in it)."""
        user = self.store.user(user_id, conn)
        assert user is not None
        museum = self.store.get_museum(user["museum"], conn) if user["museum"] else None
        where = f"{museum.name((language or 'en', 'en'))} ({museum.code})" if museum else ""
        return translated(language, INVITED[user["role"]], name=user["name"], museum=where)

    # mail ----------------------------------------------------------------------------------
    def _mail_written(self) -> None:
        """After a commit that queued mail: send it now; what the server refuses is retried later."""
        self.send_mail()

    def unsent_mail(self) -> int:
        """How many mails wait in the queue (the server refused them so far)."""
        return self.store.count_pending_mail()

    def send_mail(self, limit: int = 50) -> tuple[int, int]:
        """Send queued mail: (sent, failed). A failure stays queued for the next try. One sender
        at a time in this process, so that no mail goes out twice from here."""
        with self._mail_lock:
            return self._send_pending(limit)

    def _send_pending(self, limit: int) -> tuple[int, int]:
        sent = failed = 0
        for mail in self.store.pending_mail(limit):
            try:
                self.mailer.send(mail["recipient"], mail["subject"], mail["body"])
            except Exception as error:  # smtplib raises OSError and SMTPException; the mail stays queued
                self.store.mail_failed(mail["id"], f"{type(error).__name__}: {error}")
                failed += 1
            else:
                self.store.mail_sent(mail["id"])
                sent += 1
        return sent, failed


def _name(name) -> str:
    text = " ".join(str(name or "").split())
    if not 1 <= len(text) <= 200:
        raise ValidationFailed(GIVE_NAME, [{"field": "name", "message": REQUIRED}])
    if _controls(text):
        raise ValidationFailed(GIVE_NAME, [{"field": "name", "message": N_("No control characters.")}])
    return text


def _controls(text: str) -> bool:
    """Control characters (NUL among them, which PostgreSQL refuses) belong in no name or address."""
    return any(unicodedata.category(c) == "Cc" for c in text)


def _bounded(key: str) -> str:
    """A rate limit key that fits its column however long the email or address in it."""
    return key if len(key) <= 200 else f"{key[:100]}#{hashlib.sha256(key.encode()).hexdigest()}"
