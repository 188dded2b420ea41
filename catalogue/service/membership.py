"""Membership: the public application form, and the secretariat's review (approve: the museum and
its first admin's invitation; reject: a reason)."""

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.engine import Connection

from catalogue.catalogues import country_name_in, translated
from catalogue.errors import Conflict, Forbidden, NotFound, ValidationFailed
from catalogue.membership import (
    APPROVED,
    MAX_DECISION_NOTE,
    PENDING,
    REJECTED,
    STATES,
    code_from_name,
    load_application,
)
from catalogue.messages import N_, Message
from catalogue.models import ADMIN, MUSEUM_ADMIN, Actor, Museum
from catalogue.museums import load_museum
from catalogue.records.langmap import pick
from catalogue.service.accounts import RateLimit, mail_language
from catalogue.service.base import ServiceBase, audit_entry
from catalogue.text import clean_block

APPLICATIONS_PER_ADDRESS = RateLimit("application-address", 5, timedelta(hours=1))
NO_APPLICATION = N_("No application with number %(number)s.")
RECEIVED_SUBJECT = N_("Your membership application: Virtual Collection of Masterpieces")
RECEIVED_BODY = N_(
    "Thank you for applying to join the Virtual Collection of Masterpieces, the network of museums of Asia "
    "and Europe.\n\n"
    "Your application has the number %(number)s. The secretariat reviews every application and will write "
    "to you at this address with its decision.\n\n"
    "If you did not apply, you can ignore this mail.\n"
)
REVIEW_SUBJECT = N_("A membership application to review (number %(number)s)")
REVIEW_BODY = N_(
    "A museum has applied to join the Virtual Collection of Masterpieces:\n\n"
    "  %(name)s\n  %(city)s, %(country)s\n\n"
    "Review it here:\n%(link)s\n"
)
APPROVED_SUBJECT = N_("Welcome to the Virtual Collection of Masterpieces")
APPROVED_BODY = N_(
    "The secretariat has approved the membership of %(museum)s (museum code: %(code)s).\n\n"
    "A separate mail brings your invitation: its link lets you choose a password and become this "
    "museum's administrator in the catalogue.\n"
)
APPROVAL_NOTE = N_("A note from the secretariat:")
REJECTED_BODY = N_(
    "The secretariat has reviewed your application number %(number)s and cannot accept it at this time, "
    "for this reason:\n\n%(reason)s\n\n"
    "You are welcome to reply to this mail if you have questions.\n"
)
DECIDED = {
    APPROVED: N_("This application has already been approved."),
    REJECTED: N_("This application has already been rejected."),
}


class MembershipRules(ServiceBase):
    # from AccountRules and MuseumRules, sibling parts of the one service class
    rate_limited: Callable[[RateLimit, str], None]
    _add_account: Callable[[Connection, Actor, str, str, str, str | None, str | None, str | None], int]
    _mail_written: Callable[[], None]
    _save_museum: Callable[[Connection, Actor, Museum], bool]

    # the public form -----------------------------------------------------------------------
    def apply_for_membership(
        self, form: dict, address: str, honeypot: str = "", language: str | None = None
    ) -> int | None:
        """Keep a valid application and write to its contact (in ``language``, the one the form was
        sent in, None: English, as the decision will be) and to the secretariat (each admin in
        theirs). Anyone may send the form, so each address may send a few an hour; a form whose
        hidden trap field is filled (robots fill every field) is counted, thanked and dropped: None."""
        application = {**load_application(form), "language": mail_language(language)}
        self.rate_limited(APPLICATIONS_PER_ADDRESS, address)
        if honeypot.strip():
            return None
        with self.store.transaction() as conn:
            application_id = self.store.add_application(conn, application)
            self.store.queue_mail(conn, application["contact_email"], *_received_mail(application_id, language))
            link = f"{self.base_url}/admin/applications/{application_id}"
            for admin in self._secretariat():
                review = _review_mail(application_id, application, link, admin["language"])
                self.store.queue_mail(conn, admin["email"], *review)
        self._mail_written()
        return application_id

    def _secretariat(self) -> list[dict]:
        return [user for user in self.store.list_users(None) if user["role"] == ADMIN and user["active"]]

    # the secretariat's review --------------------------------------------------------------
    def applications(self, actor: Actor, state: str | None = None) -> list[dict]:
        """Every application (or those in ``state``): pending first, newest first."""
        _secretariat_only(actor)
        if state is not None and state not in STATES:
            unknown = Message(N_("Unknown state %(state)s."), state=repr(state))
            raise ValidationFailed(unknown, [{"field": "state", "message": N_("Unknown state.")}])
        return self.store.list_applications(state)

    def application_counts(self, actor: Actor) -> dict[str, int]:
        _secretariat_only(actor)
        counts = self.store.count_applications()
        return {state: counts.get(state, 0) for state in STATES}

    def application(self, actor: Actor, application_id: int) -> dict:
        _secretariat_only(actor)
        application = self.store.application(application_id)
        if application is None:
            raise NotFound(NO_APPLICATION, number=application_id)
        return application

    def suggested_code(self, application: dict) -> str:
        """A free museum code made from the English name ("rijksmuseum", else "rijksmuseum-2" ...)."""
        base = code_from_name(pick(application["names"], ("en",)) or "") or f"museum-{application['id']}"
        code, number = base, 1
        while self.store.get_museum(code) is not None:
            number += 1
            code = f"{base[: 40 - len(str(number)) - 1]}-{number}"
        return code

    def approve_application(self, actor: Actor, application_id: int, code: str, note: str | None = None) -> Museum:
        """The museum (a member) and its first admin, the contact, whose invitation mail goes out
        after the commit; all or nothing, and only once."""
        _secretariat_only(actor)
        note = _decision_note(note, "note", required=False)
        with self.store.transaction() as conn:
            application = self._pending(conn, application_id)
            museum = self._member_museum(application, str(code or "").strip())
            self.store.lock_museum(conn, museum.code)
            if self.store.get_museum(museum.code, conn) is not None:
                raise Conflict(
                    N_("The code %(code)s belongs to another museum."),
                    [{"field": "code", "message": N_("Taken by another museum; choose another code.")}],
                    code=repr(museum.code),
                )
            email = application["contact_email"]
            if self.store.user_by_email(email, conn) is not None:
                raise Conflict(
                    N_(
                        "There is already an account for %(email)s, so the contact cannot be invited as this "
                        "museum's admin. Ask the contact for another address, or reject the application with a reason."
                    ),
                    email=email,
                )
            self._save_museum(conn, actor, museum)
            language = application["language"]
            self.store.queue_mail(conn, email, *_approved_mail(museum, note, language))
            contact = application["contact_name"]
            self._add_account(conn, actor, email, contact, MUSEUM_ADMIN, museum.code, None, language)
            self.store.decide_application(conn, application_id, APPROVED, note, actor.name, museum.code)
            approved = audit_entry(
                actor, museum.code, None, "application_approved", None, {"application": application_id}
            )
            self.store.append_audit(conn, [approved])
        self._written()
        self._mail_written()
        return museum

    def reject_application(self, actor: Actor, application_id: int, reason) -> None:
        """The contact is told why; the application stays, rejected."""
        _secretariat_only(actor)
        reason = _decision_note(reason, "reason", required=True) or ""
        with self.store.transaction() as conn:
            application = self._pending(conn, application_id)
            self.store.decide_application(conn, application_id, REJECTED, reason, actor.name)
            rejected = _rejected_mail(application_id, reason, application["language"])
            self.store.queue_mail(conn, application["contact_email"], *rejected)
            self.store.append_audit(
                conn, [audit_entry(actor, None, None, "application_rejected", None, {"application": application_id})]
            )
        self._mail_written()

    def _pending(self, conn, application_id: int) -> dict:
        """The application, locked until the decision commits (a second decision waits, then finds
        it decided): deciding twice is a conflict."""
        application = self.store.application(application_id, conn, for_update=True)
        if application is None:
            raise NotFound(NO_APPLICATION, number=application_id)
        if application["state"] != PENDING:
            raise Conflict(DECIDED.get(application["state"], N_("This application has already been decided.")))
        return application

    def _member_museum(self, application: dict, code: str) -> Museum:
        data = {
            "code": code,
            "names": application["names"],
            "country": application["country"],
            "city": application["city"],
            "website": application["website"],
            "status": "member",
        }
        return load_museum(data)


def _secretariat_only(actor: Actor) -> None:
    if not actor.is_secretariat:
        raise Forbidden("Only the secretariat reviews membership applications.")


def _decision_note(text, field: str, required: bool) -> str | None:
    cleaned = clean_block(str(text or ""))
    if required and not cleaned:
        raise ValidationFailed(N_("Give the reason."), [{"field": field, "message": N_("Required.")}])
    if len(cleaned) > MAX_DECISION_NOTE:
        message = Message(N_("At most %(most)s characters."), most=MAX_DECISION_NOTE)
        raise ValidationFailed(message, [{"field": field, "message": message}])
    return cleaned or None


# mail ------------------------------------------------------------------------------------------
# Plain text with no user input in the subjects. The mail to the contact repeats nothing the form
# said: anyone may name any address on a public form, and this is no way to send them text.
def _received_mail(application_id: int, language: str | None) -> tuple[str, str]:
    return translated(language, RECEIVED_SUBJECT), translated(language, RECEIVED_BODY, number=application_id)


def _review_mail(application_id: int, application: dict, link: str, language: str | None) -> tuple[str, str]:
    name = pick(application["names"], (language or "en", "en")) or ""
    country = country_name_in(application["country"], language or "en")
    return translated(language, REVIEW_SUBJECT, number=application_id), translated(
        language, REVIEW_BODY, name=name, city=application["city"], country=country, link=link
    )


def _approved_mail(museum: Museum, note: str | None, language: str | None) -> tuple[str, str]:
    body = translated(language, APPROVED_BODY, museum=museum.name((language or "en", "en")), code=museum.code)
    if note:
        body += f"\n{translated(language, APPROVAL_NOTE)}\n\n{note}\n"
    return translated(language, APPROVED_SUBJECT), body


def _rejected_mail(application_id: int, reason: str, language: str | None) -> tuple[str, str]:
    subject = translated(language, RECEIVED_SUBJECT)  # the subject of the mail that acknowledged it
    return subject, translated(language, REJECTED_BODY, number=application_id, reason=reason)
