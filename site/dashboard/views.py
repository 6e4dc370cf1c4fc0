"""工作台: the signed-in person's documents by status, their drafts, their sessions."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from opengov.site.accounts.service import users as accounts
from opengov.site.catalog.service import editorial
from opengov.site.web.staff import bp


@bp.get("/")
def dashboard() -> str:
    user = current_user.user
    return render_template("staff/dashboard.html", counts=editorial.status_counts(user),
                           my_drafts=editorial.recent_drafts(user),
                           sessions=accounts.live_sessions(user.id))
