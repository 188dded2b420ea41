"""(being written) The OAI-PMH 2.0 provider at /oai."""

from flask import Blueprint

blueprint = Blueprint("oai", __name__)
