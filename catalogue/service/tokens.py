"""Curator tokens: created, listed and revoked by administrators; only their hashes are stored."""

import secrets
from datetime import timedelta

from catalogue.errors import Forbidden, NotFound
from catalogue.models import Actor
from catalogue.service.base import ServiceBase, audit_entry
from catalogue.store import now


class TokenRules(ServiceBase):
    def create_token(self, actor: Actor, museum_code: str, name: str, expires_in: timedelta | None = None) -> str:
        """A new curator of ``museum_code`` with an API token; only the token's hash is kept."""
        if actor.role not in ("admin", "system"):
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
        if actor.role not in ("admin", "system"):
            raise Forbidden("Only administrators list tokens.")
        return self.store.list_tokens(museum_code)

    def revoke_token(self, actor: Actor, token_id: str) -> dict:
        if actor.role not in ("admin", "system"):
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
        return Actor(name=user["name"], role=user["role"], museum=user["museum"], user_id=user["id"])
