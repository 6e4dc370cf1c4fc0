"""Service refusals as HTTP answers on the request pages.

TRANSITIONAL: the web layer (:mod:`opengov.site.web.errors`) is getting one mapping of
:class:`~opengov.site.exceptions.ServiceError` to 404/403/400/409 for every page; once it has
it, this decorator adds nothing and goes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort

from opengov.site.exceptions import ServiceError

F = TypeVar("F", bound=Callable[..., Any])


def service_refusals_as_http(view: F) -> F:
    """Answer a refusal that the view does not handle itself with the refusal's status."""

    @wraps(view)
    def answer(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except ServiceError as refusal:
            abort(refusal.status, refusal.message)

    return cast(F, answer)
