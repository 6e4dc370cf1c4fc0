"""What a service refuses, in words a person can read (Chinese), independent of the web.

Views and the API turn these into 404, 403, 400 and 409 answers (:mod:`opengov.site.web.errors`);
the CLI prints the message. A service raises them instead of returning ``None`` or a flag when
the caller cannot go on.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of the refusals below; ``message`` is shown to the person."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(ServiceError):
    """The thing does not exist, or the actor may not know that it exists."""

    status = 404


class ForbiddenError(ServiceError):
    """The actor may see the thing but not do this to it."""

    status = 403


class InvalidInputError(ServiceError):
    """The input breaks a rule; the message says which and how to fix it."""

    status = 400


class ConflictError(ServiceError):
    """The thing changed meanwhile, or the step does not fit its current state."""

    status = 409


class StorageUnavailableError(ServiceError):
    """The database cannot take a write now (read-only, full, or locked for longer than the
    busy timeout): nothing was saved, and what the person typed must not be lost."""

    status = 503

    def __init__(self, message: str = "暂时无法提交，您填写的内容已保留，请稍后再次提交。") -> None:
        super().__init__(message)
