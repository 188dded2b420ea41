"""(being written) IIIF Change Discovery 1.0 at /iiif/discovery/activity."""

from flask import Blueprint

blueprint = Blueprint("iiif_discovery", __name__)
