"""(being written)"""

from flask import render_template

from catalogue.views.auth import signed_in
from catalogue.views.curate import blueprint


@blueprint.get("/")
@signed_in
def dashboard():
    return render_template("curate/layout.html")
