"""Accounts in the database: users, their API tokens, single-use links (invitations, password
resets), the events rate limits count, and the mail outbox. A mix-in of ``Store``."""

import hashlib
import re
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from catalogue.store import tables as t
from catalogue.store.clock import aware, aware_or_none, now
from catalogue.store.queries import Queries

LAST_USED_RESOLUTION = timedelta(minutes=1)
TOKEN_ID_LENGTH = 12
TOKEN_ID = re.compile(f"[0-9a-f]{{{TOKEN_ID_LENGTH}}}")
USER_COLUMNS = (
    *("id", "name", "email", "role", "museum", "active", "session_version", "created_at", "last_login_at"),
    "language",
)


def token_hash(token: str) -> str:
    # tokens and link secrets are long random strings, so a plain hash is enough; only hashes are stored
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class AccountQueries(Queries):
    """The account methods of ``Store``; reads open their own snapshot, writes take the caller's
    connection so that they commit with the change they belong to."""

    # users ---------------------------------------------------------------------------------
    def create_user(
        self,
        conn: Connection,
        name: str,
        role: str,
        museum: str | None,
        email: str | None = None,
        password_hash: str | None = None,
        language: str | None = None,
    ) -> int:
        values = {"name": name, "role": role, "museum": museum, "email": email, "password_hash": password_hash}
        values["language"] = language
        result = conn.execute(t.users.insert().values(**values, created_at=now()))
        key = result.inserted_primary_key
        assert key is not None
        return key[0]

    def user(self, user_id: int, conn: Connection | None = None) -> dict | None:
        """A user without the password hash."""
        return self._one_user(t.users.c.id == user_id, conn)

    def user_by_email(self, email: str, conn: Connection | None = None) -> dict | None:
        return self._one_user(t.users.c.email == email.strip().lower(), conn)

    def password_hash_of(self, user_id: int, conn: Connection | None = None) -> str | None:
        with self._conn(conn) as c:
            return c.execute(sa.select(t.users.c.password_hash).where(t.users.c.id == user_id)).scalar()

    def _one_user(self, condition, conn: Connection | None) -> dict | None:
        query = sa.select(*(t.users.c[name] for name in USER_COLUMNS)).where(condition)
        with self._conn(conn) as c:
            row = c.execute(query).mappings().first()
        return _user(row) if row else None

    def list_users(self, museum: str | None = None, with_email_only: bool = True) -> list[dict]:
        """People with accounts (by museum, then name); token-only users of `catalogue token create` too
        when ``with_email_only`` is False. ``invited`` marks those who have not chosen a password yet."""
        invited = t.users.c.password_hash.is_(None).label("invited")
        columns = (*(t.users.c[name] for name in USER_COLUMNS), invited)
        query = sa.select(*columns).order_by(t.users.c.museum, t.users.c.name, t.users.c.id)
        if museum is not None:
            query = query.where(t.users.c.museum == museum)
        if with_email_only:
            query = query.where(t.users.c.email.is_not(None))
        with self.reading() as c:
            return [{**_user(row), "invited": bool(row["invited"])} for row in c.execute(query).mappings()]

    def update_user(self, conn: Connection, user_id: int, **values) -> None:
        conn.execute(t.users.update().where(t.users.c.id == user_id).values(**values))

    def set_password(self, conn: Connection, user_id: int, password_hash: str) -> None:
        """A new password ends every session signed in with the old one, and every invitation or
        reset link still waiting: a link mailed before the change must not undo it."""
        conn.execute(
            t.users.update()
            .where(t.users.c.id == user_id)
            .values(password_hash=password_hash, session_version=t.users.c.session_version + 1)
        )
        self._end_links(conn, user_id)

    def _end_links(self, conn: Connection, user_id: int, purpose: str | None = None) -> None:
        """The user's unused links (of ``purpose``, or of any) stop working."""
        waiting = sa.and_(t.action_tokens.c.user_id == user_id, t.action_tokens.c.used_at.is_(None))
        if purpose is not None:
            waiting = sa.and_(waiting, t.action_tokens.c.purpose == purpose)
        conn.execute(t.action_tokens.update().where(waiting).values(used_at=now()))

    def end_sessions(self, conn: Connection, user_id: int) -> None:
        conn.execute(
            t.users.update().where(t.users.c.id == user_id).values(session_version=t.users.c.session_version + 1)
        )

    # API tokens ----------------------------------------------------------------------------
    def add_token(
        self,
        conn: Connection,
        user_id: int,
        token: str,
        expires_at: datetime | None = None,
        label: str | None = None,
    ) -> str:
        """Store a token's hash; returns the token's id (the start of its hash)."""
        digest = token_hash(token)
        conn.execute(
            t.tokens.insert().values(
                token_hash=digest, user_id=user_id, created_at=now(), expires_at=expires_at, label=label
            )
        )
        return digest[:TOKEN_ID_LENGTH]

    def user_for_token(self, token: str, at: datetime) -> dict | None:
        """The user of a live token (not revoked, not expired, user active); notes when it was last
        used, at most once a minute so that a busy client does not turn every read into a write."""
        digest = token_hash(token)
        query = (
            sa.select(t.users, t.tokens.c.expires_at, t.tokens.c.last_used_at)
            .join(t.tokens, t.tokens.c.user_id == t.users.c.id)
            .where(t.tokens.c.token_hash == digest, t.tokens.c.revoked_at.is_(None), t.users.c.active.is_(True))
        )
        with self.reading() as c:
            row = c.execute(query).mappings().first()
        if row is None or (row["expires_at"] is not None and aware(row["expires_at"]) <= at):
            return None
        if row["last_used_at"] is None or aware(row["last_used_at"]) < at - LAST_USED_RESOLUTION:
            with self.transaction() as c:
                c.execute(t.tokens.update().where(t.tokens.c.token_hash == digest).values(last_used_at=at))
        return dict(row)

    def list_tokens(self, museum: str | None = None, user_id: int | None = None) -> list[dict]:
        query = _tokens_with_users().order_by(t.tokens.c.created_at)
        if museum:
            query = query.where(t.users.c.museum == museum)
        if user_id is not None:
            query = query.where(t.users.c.id == user_id)
        with self.reading() as c:
            return [_token(row) for row in c.execute(query).mappings()]

    def revoke_token(self, conn: Connection, token_id: str, user_id: int | None = None) -> dict | None:
        """Revoke the live token whose id (the start of its hash) is ``token_id`` (and, when given,
        that belongs to ``user_id``); None when there is no such token or the id is ambiguous."""
        if not TOKEN_ID.fullmatch(token_id):
            return None
        query = _tokens_with_users().where(t.tokens.c.token_hash.startswith(token_id), t.tokens.c.revoked_at.is_(None))
        if user_id is not None:
            query = query.where(t.users.c.id == user_id)
        rows = conn.execute(query).mappings().all()
        if len(rows) != 1:
            return None
        stamp = now()
        conn.execute(t.tokens.update().where(t.tokens.c.token_hash == rows[0]["token_hash"]).values(revoked_at=stamp))
        return {**_token(rows[0]), "revoked_at": stamp}

    def revoke_tokens_of(self, conn: Connection, user_id: int) -> None:
        """A deactivated account's tokens stop working too."""
        conn.execute(
            t.tokens.update()
            .where(t.tokens.c.user_id == user_id, t.tokens.c.revoked_at.is_(None))
            .values(revoked_at=now())
        )

    # single-use links ----------------------------------------------------------------------
    def add_action_token(self, conn: Connection, user_id: int, purpose: str, secret: str, expires_at: datetime) -> None:
        """A new link of ``purpose`` for ``user_id``; the user's earlier unused links of the same
        purpose stop working (the newest mail is the one that counts)."""
        self._end_links(conn, user_id, purpose)
        conn.execute(
            t.action_tokens.insert().values(
                token_hash=token_hash(secret), purpose=purpose, user_id=user_id, created_at=now(), expires_at=expires_at
            )
        )

    def action_token_user(self, purpose: str, secret: str, at: datetime, conn: Connection | None = None) -> int | None:
        """The user a live link of ``purpose`` belongs to: unused and not expired."""
        query = sa.select(t.action_tokens.c.user_id, t.action_tokens.c.expires_at).where(
            t.action_tokens.c.token_hash == token_hash(secret),
            t.action_tokens.c.purpose == purpose,
            t.action_tokens.c.used_at.is_(None),
        )
        with self._conn(conn) as c:
            row = c.execute(query).first()
        if row is None or aware(row.expires_at) <= at:
            return None
        return row.user_id

    def use_action_token(self, conn: Connection, secret: str) -> None:
        conn.execute(
            t.action_tokens.update().where(t.action_tokens.c.token_hash == token_hash(secret)).values(used_at=now())
        )

    # rate limits ---------------------------------------------------------------------------
    def event_times(self, conn: Connection, key: str, since: datetime) -> list[datetime]:
        """When each event of ``key`` after ``since`` happened, the oldest first."""
        query = sa.select(t.rate_events.c.at).where(t.rate_events.c.key == key, t.rate_events.c.at > since)
        return [aware(at) for at in conn.execute(query.order_by(t.rate_events.c.at)).scalars()]

    def add_event(self, conn: Connection, key: str, prune_before: datetime) -> None:
        """Count one event of ``key``, and forget this key's events older than any window asks about."""
        conn.execute(t.rate_events.delete().where(t.rate_events.c.key == key, t.rate_events.c.at <= prune_before))
        conn.execute(t.rate_events.insert().values(key=key, at=now()))

    def clear_events(self, conn: Connection, key: str) -> None:
        conn.execute(t.rate_events.delete().where(t.rate_events.c.key == key))

    # mail ----------------------------------------------------------------------------------
    def queue_mail(self, conn: Connection, recipient: str, subject: str, body: str) -> None:
        conn.execute(t.mail_outbox.insert().values(recipient=recipient, subject=subject, body=body, created_at=now()))

    def pending_mail(self, limit: int = 50) -> list[dict]:
        query = sa.select(t.mail_outbox).where(t.mail_outbox.c.sent_at.is_(None)).order_by(t.mail_outbox.c.id)
        with self.reading() as c:
            return [dict(row) for row in c.execute(query.limit(limit)).mappings()]

    def count_pending_mail(self) -> int:
        query = sa.select(sa.func.count()).where(t.mail_outbox.c.sent_at.is_(None))
        with self.reading() as c:
            return c.execute(query).scalar_one()

    def mail_sent(self, mail_id: int) -> None:
        """Sent: the body (which may hold a link's secret) is not kept."""
        with self.transaction() as c:
            c.execute(t.mail_outbox.update().where(t.mail_outbox.c.id == mail_id).values(sent_at=now(), body=""))

    def mail_failed(self, mail_id: int, error: str) -> None:
        with self.transaction() as c:
            c.execute(
                t.mail_outbox.update()
                .where(t.mail_outbox.c.id == mail_id)
                .values(attempts=t.mail_outbox.c.attempts + 1, last_error=error[:2000])
            )


def _user(row) -> dict:
    user = dict(row)
    user["created_at"] = aware_or_none(user["created_at"])
    user["last_login_at"] = aware_or_none(user["last_login_at"])
    return user


def _tokens_with_users() -> sa.Select:
    """Tokens with the user each belongs to: what listing and revoking show."""
    token, user = t.tokens.c, t.users.c
    columns = (token.token_hash, token.label, token.created_at, token.expires_at, token.last_used_at, token.revoked_at)
    return sa.select(*columns, user.id.label("user_id"), user.name, user.museum).join(t.users, token.user_id == user.id)


def _token(row) -> dict:
    return {
        "id": row["token_hash"][:TOKEN_ID_LENGTH],
        "label": row["label"],
        "user_id": row["user_id"],
        "name": row["name"],
        "museum": row["museum"],
        "created_at": aware_or_none(row["created_at"]),
        "expires_at": aware_or_none(row["expires_at"]),
        "last_used_at": aware_or_none(row["last_used_at"]),
        "revoked_at": aware_or_none(row["revoked_at"]),
    }
