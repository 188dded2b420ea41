"""Security headers on every response: a strict Content Security Policy on pages (our own scripts,
styles and images only; no inline script), no MIME sniffing, a referrer policy, and no framing
except for the pages made to be embedded in other sites."""
from flask import Flask, current_app, request

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
])
_embeddable: set = set()


def embeddable(view):
    """Marks a view whose page other sites may show in an iframe (an embed page)."""
    _embeddable.add(view)
    return view


def secure_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if response.mimetype == "text/html":
        framing = "*" if _is_embeddable() else "'none'"
        response.headers.setdefault("Content-Security-Policy", f"{CSP}; frame-ancestors {framing}")
        if framing == "'none'":
            response.headers.setdefault("X-Frame-Options", "DENY")   # for browsers without CSP level 2
    return response


def _is_embeddable() -> bool:
    return request.endpoint is not None and current_app.view_functions.get(request.endpoint) in _embeddable


def init_app(app: Flask) -> None:
    app.after_request(secure_headers)
