"""API tokens: each account makes, lists and revokes its own; the secretariat (and the command
line) makes token-only curators for a museum. Only hashes are stored; a token is shown once."""

import secrets
import unicodedata
from datetime import datetime, timedelta

from catalogue.errors import Forbidden, NotFound, ValidationFailed
from catalogue.messages import N_
from catalogue.models import Actor
from catalogue.service.base import ServiceBase, audit_entry
from catalogue.store import now


class TokenRules(ServiceBase):
    def create_token(self, actor: Actor, museum_code: str, name: str, expires_in: timedelta | None = None) -> str:
        """A new curator of ``museum_code`` with an API token; only the token's hash is kept."""
        if not actor.is_secretariat:
            raise Forbidden("Only administrators create curator tokens.")
        self.museum(museum_code)
        token = secrets.token_urlsafe(32)
        expires_at = now() + expires_in if expires_in else None
        with self.store.transaction() as conn:
            user_id = self.store.create_user(conn, name, "curator", museum_code)
            self.store.add_token(conn, user_id, token, expires_at)
            self.store.append_audit(
                conn, [audit_entry(actor, museum_code, None, "token_created", None, {"user": user_id, "name": name})]
            )
        return token

    def tokens(self, actor: Actor, museum_code: str | None = None) -> list[dict]:
        """The tokens an administrator may see: id (a prefix of the hash), user, museum, dates."""
        if not actor.is_secretariat:
            raise Forbidden("Only administrators list tokens.")
        return self.store.list_tokens(museum_code)

    def revoke_token(self, actor: Actor, token_id: str) -> dict:
        if not actor.is_secretariat:
            raise Forbidden("Only administrators revoke tokens.")
        with self.store.transaction() as conn:
            token = self.store.revoke_token(conn, token_id)
            if token is None:
                raise NotFound(f"No active token with id {token_id!r}.")
            self.store.append_audit(
                conn,
                [
                    audit_entry(
                        actor,
                        token["museum"],
                        None,
                        "token_revoked",
                        None,
                        {"token": token["id"], "user": token["user_id"]},
                    )
                ],
            )
        return token

    def actor_for_token(self, token: str) -> Actor | None:
        user = self.store.user_for_token(token, now())
        if user is None:
            return None
        return Actor(
            name=user["name"], role=user["role"], museum=user["museum"], user_id=user["id"], email=user["email"]
        )

    # an account's own tokens ----------------------------------------------------------------
    def create_own_token(self, actor: Actor, label: str, expires_in: timedelta | None = None) -> tuple[str, str]:
        """A new API token for the signed-in account: (token, id). The token is shown once."""
        if actor.user_id is None or actor.role == "system":
            raise Forbidden("Sign in to make an API token.")
        label = "".join(c for c in " ".join(str(label or "").split()) if unicodedata.category(c) != "Cc")[:200]
        if not label:
            raise ValidationFailed(
                N_("Name the token (what will use it)."), [{"field": "label", "message": N_("Required.")}]
            )
        if expires_in is not None and expires_in <= timedelta(0):
            raise ValidationFailed("A token lasts a while.", [{"field": "expires_in", "message": "Must be positive."}])
        token = secrets.token_urlsafe(32)
        expires_at = now() + expires_in if expires_in else None
        with self.store.transaction() as conn:
            token_id = self.store.add_token(conn, actor.user_id, token, expires_at, label)
            self.store.append_audit(
                conn,
                [audit_entry(actor, actor.museum, None, "token_created", None, {"token": token_id, "label": label})],
            )
        return token, token_id

    def own_tokens(self, actor: Actor) -> list[dict]:
        """The account's tokens, revoked and expired ones too (with their ``state``), never the
        tokens themselves: only their hashes are stored."""
        if actor.user_id is None:
            return []
        stamp = now()
        return [
            {**token, "state": token_state(token, stamp)} for token in self.store.list_tokens(user_id=actor.user_id)
        ]

    def revoke_own_token(self, actor: Actor, token_id: str) -> dict:
        if actor.user_id is None:
            raise NotFound(N_("You have no active token with id %(id)s."), id=repr(token_id))
        with self.store.transaction() as conn:
            token = self.store.revoke_token(conn, str(token_id), user_id=actor.user_id)
            if token is None:
                raise NotFound(N_("You have no active token with id %(id)s."), id=repr(token_id))
            self.store.append_audit(
                conn, [audit_entry(actor, actor.museum, None, "token_revoked", None, {"token": token["id"]})]
            )
        return token


def token_state(token: dict, at: datetime) -> str:
    """``active``, ``revoked`` or ``expired`` at the moment ``at``."""
    if token["revoked_at"] is not None:
        return "revoked"
    if token["expires_at"] is not None and token["expires_at"] <= at:
        return "expired"
    return "active"
