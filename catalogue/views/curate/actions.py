"""How the audit log's actions read on the curator pages (the dashboard's recent changes and a
record's history), in one table."""

from catalogue.i18n import N_, gettext
from catalogue.views.curate import blueprint

ACTIONS = {
    "create": N_("Created"),
    "update": N_("Edited"),
    "publish": N_("Published"),
    "unpublish": N_("Unpublished (back to draft)"),
    "withdraw": N_("Withdrawn"),
    "revert": N_("Reverted"),
    "images_added": N_("Images added"),
    "image_removed": N_("Image removed"),
    "images_reordered": N_("Images reordered"),
    "image_alt_changed": N_("Alt text changed"),
    "image_urls_queued": N_("Image addresses queued for fetching"),
    "image_url_failed": N_("An image address could not be fetched"),
}


def action_label(action: str) -> str:
    """The action in the reader's language; one this table does not know reads as its own name."""
    return gettext(ACTIONS[action]) if action in ACTIONS else action.replace("_", " ")


@blueprint.app_context_processor
def labels():
    return {"action_label": action_label}
