"""The public 权力清单: by agency and type, one power, the list as a workbook."""

from __future__ import annotations

from flask import Response, current_app, render_template, request
from flask.typing import ResponseReturnValue

from opengov.site import clock
from opengov.site.exceptions import InvalidInputError
from opengov.site.powers.rules import POWER_TYPES
from opengov.site.powers.service import public as power_service
from opengov.site.service_items.rules.listing import parse_list_query
from opengov.site.web.public import bp

POWER_ID = "<int(max=2147483647):power_id>"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/powers")
def powers() -> ResponseReturnValue:
    query = parse_list_query(request.args, types=POWER_TYPES, with_targets=False,
                             themes=(), default_size=current_app.config["PAGE_SIZE"])
    page = power_service.powers_page(query)
    return render_template("public/powers/list.html", page=page, errors=query.errors,
                           form=request.args), 400 if query.errors else 200


@bp.get("/powers.xlsx")
def powers_download() -> ResponseReturnValue:
    """The list (as filtered: ``?agency=&type=&q=``) with every 裁量基准, as a workbook."""
    query = parse_list_query(request.args, types=POWER_TYPES, with_targets=False,
                             themes=(), default_size=1)
    if query.errors:
        raise InvalidInputError("；".join(query.errors.values()))
    response = Response(power_service.export_workbook(query), mimetype=XLSX)
    name = f"power-list-{clock.today():%Y%m%d}.xlsx"
    response.headers["Content-Disposition"] = (
        f"attachment; filename={name}; filename*=UTF-8''%E6%9D%83%E5%8A%9B%E6%B8%85%E5%8D%95"
        f"-{clock.today():%Y%m%d}.xlsx")
    return response


@bp.get(f"/powers/{POWER_ID}")
def power(power_id: int) -> str:
    return render_template("public/powers/power.html", page=power_service.power_page(power_id))
