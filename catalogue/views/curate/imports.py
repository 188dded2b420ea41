"""Bulk uploads on the curator pages (CSV, JSON Lines, LIDO XML): the upload form with the museum's
upload history, the CSV column mapping, the dry run's report, confirmation, and the run's progress
(which static/bulk-upload.js polls)."""

from dataclasses import replace
from pathlib import Path

from flask import Response, current_app, flash, jsonify, redirect, render_template, request, url_for

from catalogue.errors import NotFound, ValidationFailed
from catalogue.extensions import service
from catalogue.i18n import N_, gettext
from catalogue.ingest.column_choices import FIELDS, LANGUAGES
from catalogue.ingest.readers import NUMBERED_BY
from catalogue.ingest.report import report_csv
from catalogue.messages import kept_message
from catalogue.models import Actor
from catalogue.views.auth import current_actor, signed_in
from catalogue.views.curate import blueprint

SHOWN_LINES = 1000  # report lines on the page; the CSV download has all that are kept
FORMAT_CHOICES = ("auto", "csv", "jsonl", "lido")


@blueprint.get("/imports")
@signed_in
def imports():
    actor = current_actor()
    code = _museum_code()
    if code is None:  # the secretariat belongs to no museum: it picks one first
        return render_template("curate/imports.html", museum=None, museums=service().museums())
    return _list_page(actor, code)


@blueprint.post("/imports")
@signed_in
def upload_import():
    actor = current_actor()
    code = _museum_code()
    file_format = request.form.get("format", "auto")
    upload = request.files.get("file")
    if code is None:
        raise NotFound(N_("Choose a museum first."))
    if upload is None or not upload.filename:
        message = N_("Choose a file to upload.")
        return _list_page(actor, code, ValidationFailed(message, [{"field": "file", "message": message}]), file_format)
    try:
        saved = service().upload_import(actor, code, upload.filename, upload.stream, _folder(), file_format)
    except ValidationFailed as failure:
        return _list_page(actor, code, failure, file_format)
    if saved.format == "csv":
        return redirect(url_for("curate.import_mapping", import_id=saved.id))
    return _start_dry_run(actor, saved.id)  # JSON Lines and LIDO need no mapping: straight to the dry run


@blueprint.route("/imports/<int:import_id>/mapping", methods=["GET", "POST"])
@signed_in
def import_mapping(import_id: int):
    actor = current_actor()
    upload = service().bulk_upload(actor, import_id)
    columns = service().csv_columns(actor, import_id)
    language = (upload.mapping or {}).get("language") or ""
    if request.method == "GET":
        return _mapping_page(upload, columns, language)
    choices = {column.index: request.form.get(f"column-{column.index}", "") for column in columns}
    language = request.form.get("language", "")
    try:
        service().save_mapping(actor, import_id, choices, language or None)
    except ValidationFailed as failure:
        kept = [replace(column, field=choices[column.index]) for column in columns]
        return _mapping_page(upload, kept, language, failure)
    return _start_dry_run(actor, import_id)


@blueprint.get("/imports/<int:import_id>")
@signed_in
def show_import(import_id: int):
    return _upload_page(service().bulk_upload(current_actor(), import_id))


@blueprint.post("/imports/<int:import_id>/check")
@signed_in
def check_import(import_id: int):
    actor = current_actor()
    try:
        return _start_dry_run(actor, import_id)
    except ValidationFailed as failure:
        return _upload_page(service().bulk_upload(actor, import_id), failure)


def _start_dry_run(actor: Actor, import_id: int):
    """The dry run goes on in the background (a large file takes minutes); its page follows it."""
    service().request_check(actor, import_id)
    service().run_import_in_background(import_id)
    return redirect(url_for("curate.show_import", import_id=import_id))


@blueprint.post("/imports/<int:import_id>/run")
@signed_in
def run_import(import_id: int):
    actor = current_actor()
    try:
        upload = service().confirm_import(actor, import_id, request.form.get("default_status", "published"))
    except ValidationFailed as failure:
        return _upload_page(service().bulk_upload(actor, import_id), failure)
    service().run_import_in_background(upload.id)
    return redirect(url_for("curate.show_import", import_id=import_id))


@blueprint.post("/imports/<int:import_id>/discard")
@signed_in
def discard_import(import_id: int):
    upload = service().discard_import(current_actor(), import_id)
    flash(gettext("The upload of %(file)s was discarded; nothing of it was imported.", file=upload.filename))
    return redirect(url_for("curate.imports", museum=upload.museum), 303)


@blueprint.get("/imports/<int:import_id>/progress.json")
@signed_in
def import_progress(import_id: int):
    upload = service().bulk_upload(current_actor(), import_id)
    return jsonify(
        {"state": upload.state, "processed": upload.processed_rows, "total": upload.total_rows, "counts": upload.counts}
    )


@blueprint.get("/imports/<int:import_id>/report.csv")
@signed_in
def import_report(import_id: int):
    upload = service().bulk_upload(current_actor(), import_id)
    report = _report_of(upload)
    if report is None:
        raise NotFound(N_("This upload has no report yet."))
    return Response(
        "\ufeff" + report_csv(report, _numbered_by(upload)),  # the byte order mark tells spreadsheets it is UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="upload-{upload.id}-report.csv"'},
    )


def _museum_code() -> str | None:
    """The museum whose uploads these are: the signed-in curator's own, or (for the secretariat)
    ?museum=CODE. A curator naming another museum is refused by the service (403)."""
    return request.args.get("museum") or current_actor().museum


def _folder() -> Path:
    return Path(current_app.config["DATA_DIR"]) / "imports"


def _errors(failure: ValidationFailed | None) -> dict:
    return {error.get("field"): gettext(error["message"]) for error in failure.errors} if failure else {}


def _list_page(actor, code: str, failure: ValidationFailed | None = None, file_format: str = "auto"):
    uploads = service().bulk_uploads(actor, code)
    page = render_template(
        "curate/imports.html",
        museum=service().museum(code),
        uploads=uploads,
        failure=failure,
        errors=_errors(failure),
        file_format=file_format if file_format in FORMAT_CHOICES else "auto",
        chosen_museum=request.args.get("museum"),
    )
    return page, 400 if failure else 200


def _mapping_page(upload, columns, language: str, failure: ValidationFailed | None = None):
    page = render_template(
        "curate/imports_mapping.html",
        upload=upload,
        columns=columns,
        fields=FIELDS,
        language_choices=LANGUAGES,
        language=language,
        failure=failure,
        errors=_errors(failure),
    )
    return page, 400 if failure else 200


def _numbered_by(upload) -> str:
    """What the report's numbers count in the uploaded file: its rows, lines or records."""
    return NUMBERED_BY.get(upload.format, "row")


def _report_of(upload) -> dict | None:
    """The run's report once it ended, else the dry run's."""
    return upload.report if upload.finished else upload.dry_run_report


def _upload_page(upload, failure: ValidationFailed | None = None):
    report = _report_of(upload)
    page = render_template(
        "curate/imports_show.html",
        upload=upload,
        report=report,
        # each message as kept, translatable, for the template's |translated
        lines=[
            {**line, "message": kept_message(line, "message")} for line in (report or {}).get("lines", [])[:SHOWN_LINES]
        ],
        numbered_by=_numbered_by(upload),
        failure=failure,
        errors=_errors(failure),
    )
    return page, 400 if failure else 200
