"""(being written)"""

from flask import Blueprint

blueprint = Blueprint("membership", __name__)
admin_blueprint = Blueprint("admin", __name__)
