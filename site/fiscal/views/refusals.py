"""TRANSITIONAL: service refusals as HTTP errors for the fiscal views.

``opengov.site.web.errors`` maps :class:`~opengov.site.exceptions.ServiceError` to its status
(with the message) once the accounts branch is merged; this decorator, and its uses, go then.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort

from opengov.site.exceptions import ServiceError

P = ParamSpec("P")
R = TypeVar("R")


def refusals_as_errors(view: Callable[P, R]) -> Callable[P, R]:
    """Answer a refusal of the service with its status (404, 403, 400 or 409)."""

    @wraps(view)
    def answer(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return view(*args, **kwargs)
        except ServiceError as exc:
            abort(exc.status)

    return answer
