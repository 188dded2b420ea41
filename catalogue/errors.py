"""Errors the service raises for bad requests; each knows its HTTP status, so views stay thin.

An error's message is an `N_`-marked template with ``%(name)s`` placeholders, and the variables
that fill them: ``NotFound(N_("No object with id %(id)s."), id=repr(record_id))``. It reads as
English (`str(error)`, ``error.message``); the views translate it where they show it (see
`catalogue.messages`).
"""

from catalogue.messages import Message


class CatalogueError(Exception):
    status = 400

    def __init__(self, message: str, errors: list | None = None, **variables):
        self.message = message if isinstance(message, Message) and not variables else Message(message, **variables)
        super().__init__(self.message)
        self.errors = errors or []

    def to_json(self) -> dict:
        body = {"status": self.status, "message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return body


class ValidationFailed(CatalogueError):
    status = 400


class NotAuthenticated(CatalogueError):
    status = 401


class Forbidden(CatalogueError):
    status = 403


class NotFound(CatalogueError):
    status = 404


class Gone(CatalogueError):
    """A withdrawn record: harvesters and caches learn that it was removed, and its tombstone id."""

    status = 410

    def __init__(self, message: str, record_id: str, **variables):
        super().__init__(message, **variables)
        self.record_id = record_id

    def to_json(self) -> dict:
        return {**super().to_json(), "id": self.record_id}


class Conflict(CatalogueError):
    status = 409


class PreconditionFailed(CatalogueError):
    status = 412


class TooLarge(CatalogueError):
    status = 413


class TooManyRequests(CatalogueError):
    """A rate limit: too many attempts (sign-ins, reset requests, applications) in a short time."""

    status = 429


class UnsupportedType(CatalogueError):
    status = 415


class Unavailable(CatalogueError):
    """A part the request needs (the search engine, the database) is down; try again later."""

    status = 503
