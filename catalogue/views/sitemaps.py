"""(being written) Sitemaps of published objects for search engines."""

from flask import Blueprint

blueprint = Blueprint("sitemaps", __name__)
