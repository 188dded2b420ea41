"""One place that turns failures into clear 4xx answers: JSON under /api, a page elsewhere."""
from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from catalogue.errors import CatalogueError


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def _render(status: int, message: str, errors: list | None = None):
    if _wants_json():
        body = {"status": status, "message": message}
        if errors:
            body["errors"] = errors
        return jsonify(body), status
    return render_template("error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CatalogueError)
    def catalogue_error(error: CatalogueError):
        return _render(error.status, error.message, error.errors)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        messages = {413: "The request is too large.", 404: "Not found.", 405: "Method not allowed."}
        response = _render(error.code or 500, messages.get(error.code, error.description))
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response[0].headers["Allow"] = ", ".join(error.valid_methods)
        return response
