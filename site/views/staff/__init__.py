"""The staff back office, guarded once for every route (design.md §2).

Every route is declared with :func:`staff_route`, which records the roles it needs. The guard
in ``before_request`` lets through the sign-in page only; any other endpoint needs a signed-in
person holding one of its roles, and an endpoint that declared no roles is refused to all
but administrators, so a forgotten declaration fails closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import Blueprint, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site.domain.roles import Role

bp = Blueprint("staff", __name__, url_prefix="/staff")

#: endpoint → roles any of which grants access; administrators pass everywhere.
REQUIRED_ROLES: dict[str, frozenset[Role]] = {}
#: endpoints open without signing in.
PUBLIC_ENDPOINTS = {"staff.login"}
#: endpoints open to every signed-in person whatever their roles.
ANY_STAFF_ENDPOINTS = {"staff.logout", "staff.dashboard"}

F = TypeVar("F", bound=Callable[..., Any])


def staff_route(rule: str, *, roles: Iterable[Role], methods: Iterable[str] = ("GET",),
                endpoint: str | None = None) -> Callable[[F], F]:
    """Register a staff view and the roles that may use it."""
    needed = frozenset(roles)

    def decorator(view: F) -> F:
        name = endpoint or view.__name__
        REQUIRED_ROLES[f"{bp.name}.{name}"] = needed
        bp.add_url_rule(rule, name, view, methods=list(methods))
        return view

    return decorator


@bp.before_request
def guard() -> ResponseReturnValue | None:
    endpoint = request.endpoint or ""
    if endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("staff.login", next=request.full_path))
    if endpoint in ANY_STAFF_ENDPOINTS:
        return None
    needed = REQUIRED_ROLES.get(endpoint, frozenset({Role.ADMIN}))
    if not current_user.user.has_role(*needed):
        abort(403)
    return None


import opengov.site.views.staff.search_synonyms  # noqa: E402, F401
from opengov.site.views.staff import session_views  # noqa: E402, F401
