"""Staff pages of accounts: sign-in, users and roles, the audit log."""

from opengov.site.accounts.views import sessions, users

__all__ = ["sessions", "users"]
