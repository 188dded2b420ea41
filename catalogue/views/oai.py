"""The OAI-PMH 2.0 provider at /oai: GET with a query string, or POST with a form body (as the spec
allows both). The protocol lives in catalogue.harvest.oai; this view only hands it the arguments."""

from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, request

from catalogue.errors import UnsupportedType
from catalogue.extensions import service
from catalogue.harvest.oai import Provider, Repository
from catalogue.store import now
from catalogue.views.auth import csrf
from catalogue.views.urls import base_url

blueprint = Blueprint("oai", __name__)
REPOSITORY_NAME = "Virtual Collection of Masterpieces"
DEFAULT_PAGE_SIZE = 100
FORM = "application/x-www-form-urlencoded"


@blueprint.route("/oai", methods=["GET", "POST"])
@csrf.exempt  # harvesters hold no session and no form token; the provider only reads
def oai():
    if request.method == "POST" and request.mimetype != FORM:
        raise UnsupportedType(f"Send the OAI-PMH arguments as {FORM}.")
    arguments = request.form if request.method == "POST" else request.args
    body = Provider(service(), repository(), now()).respond(arguments.items(multi=True))
    return Response(body, content_type="text/xml; charset=utf-8")


def repository() -> Repository:
    """The repository as the settings describe it: BASE_URL, ADMIN_EMAIL, OAI_PAGE_SIZE."""
    config = current_app.config
    return Repository(
        base_url=base_url(),
        name=REPOSITORY_NAME,
        admin_email=config.get("ADMIN_EMAIL") or _default_admin_email(config),
        page_size=_page_size(config.get("OAI_PAGE_SIZE")),
        secret=config["SECRET_KEY"],
    )


def _default_admin_email(config) -> str:
    """The address mail is sent from, when one is set up; else one at the catalogue's own host."""
    sender = str(config.get("MAIL_SENDER") or "")
    if config.get("MAIL_SERVER") and "@" in sender:
        return sender
    return f"admin@{urlsplit(base_url()).hostname or 'localhost'}"


def _page_size(value) -> int:
    try:
        size = int(value)
    except (TypeError, ValueError):
        return DEFAULT_PAGE_SIZE
    return size if size > 0 else DEFAULT_PAGE_SIZE
