"""Parameter types shared by the features' ``opengov`` commands."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click


class DateType(click.ParamType[dt.date, str]):
    """A date typed as YYYY-MM-DD, refused with a Chinese message otherwise."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail("日期格式应为 YYYY-MM-DD", param, ctx)


#: ``type=DATE`` on a click argument or option.
DATE = DateType()
