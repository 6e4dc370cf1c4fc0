"""The staff back office, guarded once for every route (design.md §2).

Every route is declared with :func:`staff_route`, which records the roles it needs. The guard
in ``before_request`` lets through the sign-in page only; any other endpoint needs a signed-in
person holding one of its roles, and an endpoint that declared no roles is refused to all
but administrators, so a forgotten declaration fails closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import Blueprint, Response, abort, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

bp = Blueprint("staff", __name__, url_prefix="/staff")

#: The role that passes every guard; an endpoint that declared no roles needs it. Roles are
#: the string values of the accounts feature's ``Role`` (a ``StrEnum``).
ADMIN_ROLE = "admin"

#: endpoint → roles any of which grants access; administrators pass everywhere.
REQUIRED_ROLES: dict[str, frozenset[str]] = {}
#: endpoints open without signing in.
PUBLIC_ENDPOINTS = {"staff.login"}
#: endpoints open to every signed-in person whatever their roles.
ANY_STAFF_ENDPOINTS = {"staff.logout", "staff.dashboard", "staff.change_password"}

F = TypeVar("F", bound=Callable[..., Any])


def staff_route(rule: str, *, roles: Iterable[str], methods: Iterable[str] = ("GET",),
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
    needed = REQUIRED_ROLES.get(endpoint, frozenset({ADMIN_ROLE}))
    if not current_user.user.has_role(*needed):
        abort(403)
    return None


@bp.after_request
def no_store(response: Response) -> Response:
    """Staff pages hold unpublished and personal data: never cache them, never frame them."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def can_access(endpoint: str) -> bool:
    """Whether the signed-in person may open ``endpoint`` (for navigation links)."""
    if endpoint in PUBLIC_ENDPOINTS or endpoint in ANY_STAFF_ENDPOINTS:
        return True
    if not current_user.is_authenticated:
        return False
    needed = REQUIRED_ROLES.get(endpoint, frozenset({ADMIN_ROLE}))
    return bool(current_user.user.has_role(*needed))


#: Navigation of the back office: (endpoint, label). Shown to those who may open it.
NAV: list[tuple[str, str]] = [
    ("staff.dashboard", "工作台"),
    ("staff.documents", "文件"),
    ("staff.review_queue", "待审核"),
    ("staff.users", "账户与角色"),
    ("staff.audit_log", "审计日志"),
    ("staff.agencies", "机构与指南"),
    ("staff.categories", "栏目与专栏"),
    ("staff.standard_catalog_overview", "标准目录"),
    ("staff.error_reports", "找错处理"),
    ("staff.search_synonyms", "搜索同义词"),
    ("staff.fiscal_list", "财政预决算"),
    ("staff.request_queue", "依申请公开办理"),
    ("staff.proactive_candidates", "依申请转主动"),
    ("staff.request_signing_policy", "签发规则"),
    ("staff.service_items_list", "政务服务事项"),
    ("staff.powers_list", "权力清单"),
    ("staff.rating_follow_ups", "好差评整改"),
    ("staff.calendar_overrides", "工作日历"),
    ("staff.reports_index", "年度报告"),
    ("staff.review_cases", "复议诉讼登记"),
    ("staff.consultations", "征求意见"),
    ("staff.complaint_queue", "投诉举报"),
    ("staff.mail_notices", "通知邮件"),
]


def nav_links() -> list[tuple[str, str, str]]:
    """(endpoint, url, label) of the navigation entries the signed-in person may open."""
    links = []
    for endpoint, label in NAV:
        if endpoint in current_app.view_functions and can_access(endpoint):
            links.append((endpoint, url_for(endpoint), label))
    return links


@bp.app_context_processor
def staff_helpers() -> dict[str, Any]:
    return {"staff_can": can_access, "staff_nav": nav_links}
