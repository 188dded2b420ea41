"""Security headers on every response: a strict Content Security Policy on pages (our own scripts,
styles and images only; no inline script), no MIME sniffing, a referrer policy, and no framing
except for the pages made to be embedded in other sites."""

from flask import Flask, current_app, request

DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
CSP = "; ".join(f"{name} {value}" for name, value in DIRECTIVES.items())
_embeddable: set = set()
_relaxed: dict = {}


def embeddable(view):
    """Marks a view whose page other sites may show in an iframe (an embed page)."""
    _embeddable.add(view)
    return view


def relaxed_policy(**directives: str):
    """Replaces some directives for one view only (``style_src="'self' 'unsafe-inline'"``): for a
    page whose third-party code cannot run under the strict policy. Say why at the view; every
    other page keeps the strict policy."""
    replaced = {name.replace("_", "-"): value for name, value in directives.items()}
    unknown = set(replaced) - set(DIRECTIVES)
    if unknown:
        raise ValueError(f"unknown CSP directives: {sorted(unknown)}")

    def mark(view):
        _relaxed[view] = "; ".join(f"{name} {value}" for name, value in {**DIRECTIVES, **replaced}.items())
        return view

    return mark


def secure_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if response.mimetype == "text/html":
        view = _view()
        framing = "*" if view in _embeddable else "'none'"
        policy = _relaxed.get(view, CSP)
        response.headers.setdefault("Content-Security-Policy", f"{policy}; frame-ancestors {framing}")
        if framing == "'none'":
            response.headers.setdefault("X-Frame-Options", "DENY")  # for browsers without CSP level 2
    return response


def _view():
    """The function that answered this request (None for a 404 that matched no route)."""
    return current_app.view_functions.get(request.endpoint) if request.endpoint else None


def init_app(app: Flask) -> None:
    app.after_request(secure_headers)
