"""The curator dashboard: a museum's records in every status with counts, filters (text, status,
images, warnings), paging and its recent changes. The secretariat, which has no museum of its
own, picks one with ``?museum=``."""

from urllib.parse import urlencode

from flask import render_template, request, url_for

from catalogue.extensions import service
from catalogue.records.form import STATUS_LABELS
from catalogue.search_params import counting_number
from catalogue.service.curation import RecordFilter
from catalogue.views.auth import current_actor, signed_in
from catalogue.views.curate import blueprint

PAGE_SIZE = 25
FILTER_KEYS = ("q", "status", "images", "warnings")


@blueprint.get("/")
@signed_in
def dashboard():
    actor = current_actor()
    code = request.args.get("museum") or actor.museum
    if not code:
        return render_template("curate/dashboard.html", board=None, museums=service().museums())
    wanted = RecordFilter(
        text=request.args.get("q", ""),
        status=request.args.get("status") or None,
        images=request.args.get("images") or None,
        warnings=request.args.get("warnings") == "1",
    )
    page = counting_number(request.args.get("page"), "page") or 1
    board = service().dashboard(actor, code, wanted, page, PAGE_SIZE)
    return render_template(
        "curate/dashboard.html",
        board=board,
        museum_choice=code if actor.museum != code else None,
        args={key: request.args.get(key, "") for key in FILTER_KEYS},
        page_url=lambda number: _page_url(code if actor.museum != code else None, number),
        status_labels=STATUS_LABELS,
    )


def _page_url(museum: str | None, number: int) -> str:
    """This dashboard with the same filters, at page ``number``."""
    query = {key: request.args[key] for key in FILTER_KEYS if request.args.get(key)}
    if museum:
        query["museum"] = museum
    query["page"] = str(number)
    return url_for("curate.dashboard") + "?" + urlencode(query)
