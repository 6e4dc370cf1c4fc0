"""Forms of the failed-notices page: buttons, each carrying only the CSRF token (the notice
is named by the URL)."""

from __future__ import annotations

from opengov.site.web.forms import ChineseForm


class NoticeActionForm(ChineseForm):
    """Send again, or discard, one notice."""
