"""工作台: the signed-in person's documents by status, their drafts, their sessions."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from opengov.site.dashboard import service
from opengov.site.web.staff import bp


@bp.get("/")
def dashboard() -> str:
    home = service.staff_home(current_user.user)
    return render_template("staff/dashboard.html", counts=home.counts, my_drafts=home.drafts,
                           sessions=home.sessions)
