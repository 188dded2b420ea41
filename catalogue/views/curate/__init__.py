"""The curator pages, for a museum's curators and admins (and the secretariat): the dashboard,
the record form, images, bulk uploads and each record's history. One blueprint; each concern in
its own module, which adds its routes to it."""

from flask import Blueprint

blueprint = Blueprint("curate", __name__)

from catalogue.views.curate import actions, dashboard, history, images, imports, records  # noqa: E402, F401  (routes)
