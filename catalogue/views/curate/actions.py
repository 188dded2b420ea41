"""How the audit log reads on the curator pages (the dashboard's recent changes and a record's
history): its actions, and record fields by the labels the record form gives them."""

from catalogue.i18n import N_, gettext
from catalogue.records.form import BY_NAME
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


def field_label(name: str) -> str:
    """A record field as the form labels it ("Earliest year" for date_begin); others by their name."""
    return gettext(BY_NAME[name].label) if name in BY_NAME else name.replace("_", " ")


@blueprint.app_context_processor
def labels():
    return {"action_label": action_label, "field_label": field_label}
