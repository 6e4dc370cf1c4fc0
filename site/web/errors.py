"""Chinese error pages for people, RFC 9457 ``problem+json`` for the API.

A service's refusal (:mod:`opengov.site.exceptions`) becomes its status — 404, 403, 400, 409,
429 or 503 — with the service's Chinese message shown, so views need not catch what they
cannot fix. Under ``/api/`` every error, a refusal, a bad parameter, an unknown URL or a
fault, is one ``application/problem+json`` object: ``type``, ``title``, ``status``,
``detail``, ``instance`` and, for bad parameters, ``invalid_params``.

When the database cannot take a write (:class:`StorageUnavailableError`), a form's POST is
answered with a 503 page that keeps everything typed (except passwords and files) in a form
that sends it again.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, json, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from opengov.site.exceptions import ServiceError, StorageUnavailableError
from opengov.site.web.params import InvalidParameterError

log = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"

MESSAGES = {
    400: "请求有误",
    403: "没有访问权限",
    404: "页面不存在",
    405: "不支持该请求方式",
    409: "操作与当前状态冲突",
    410: "该页面已撤销",
    413: "上传的文件过大",
    414: "请求的网址过长",
    422: "提交的内容有误",
    429: "请求过于频繁，请稍后再试",
    431: "请求头过大",
    500: "服务器内部错误",
    503: "服务暂时不可用",
}
#: Form fields never written back into a page.
SECRET_FIELDS = frozenset({"current", "new", "confirm", "csrf_token", "code", "totp",
                           "recovery_code"})


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(StorageUnavailableError, _storage_unavailable)
    app.register_error_handler(ServiceError, _service_error)
    app.register_error_handler(Exception, _unexpected_error)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, detail: str = "", *,
            invalid_params: dict[str, str] | None = None, **extra: Any) -> Response:
    """An RFC 9457 problem details answer, in Chinese."""
    title = MESSAGES.get(status, "出错了")
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status,
                            "detail": detail or title, "instance": request.path}
    if invalid_params:
        body["invalid_params"] = [{"name": name, "reason": reason}
                                  for name, reason in invalid_params.items()]
    body.update(extra)
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                        mimetype=PROBLEM_TYPE)


def _render(status: int, detail: str = "", *,
            invalid_params: dict[str, str] | None = None) -> ResponseReturnValue:
    if is_api_request():
        return problem(status, detail, invalid_params=invalid_params)
    title = MESSAGES.get(status, "出错了")
    return render_template("errors/error.html", status=status, title=title, detail=detail), status


def _http_error(exc: HTTPException) -> ResponseReturnValue:
    response = _render(exc.code or 500)
    if exc.code == 405 and isinstance(response, Response):
        allowed = exc.get_headers()
        for name, value in allowed:
            if name == "Allow":
                response.headers["Allow"] = value
    return response


def _csrf_error(_exc: CSRFError) -> ResponseReturnValue:
    return _render(400, "页面已过期或表单来源无效，请刷新页面后重新提交，已填写的内容请先复制保存。")


def _service_error(exc: ServiceError) -> ResponseReturnValue:
    # Expected refusals, not faults: no stack trace in the log, the message goes to the person.
    invalid = exc.invalid_params if isinstance(exc, InvalidParameterError) else None
    return _render(exc.status, exc.message, invalid_params=invalid)


def kept_fields() -> list[tuple[str, str, str]]:
    """(name, label, value) of what the person posted, passwords and tokens left out; labels
    from the forms the view built (:class:`~opengov.site.web.forms.ChineseForm` registers
    itself), else the field's name."""
    labels: dict[str, str] = {}
    for form in g.get("forms", []):
        for field in form:
            labels.setdefault(field.name, str(field.label.text))
    fields = []
    for name in request.form:
        if "password" in name.lower() or name.lower() in SECRET_FIELDS:
            continue
        for value in request.form.getlist(name):
            fields.append((name, labels.get(name, name), value))
    return fields


def _storage_unavailable(exc: StorageUnavailableError) -> ResponseReturnValue:
    log.warning("database refused a write on %s %s: %s", request.method, request.path,
                exc.__cause__ or exc)
    if is_api_request() or request.method != "POST":
        response = _render(503, exc.message)
    else:
        response = (render_template("errors/unavailable.html", message=exc.message,
                                    fields=kept_fields(), action=request.full_path.rstrip("?"),
                                    files=bool(request.files)), 503)
    return _with_retry_after(response)


def _with_retry_after(result: ResponseReturnValue) -> Response:
    from flask import make_response

    response = make_response(result)
    response.headers["Retry-After"] = "30"
    return response


def _unexpected_error(exc: Exception) -> ResponseReturnValue:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    log.exception("unhandled error on %s", request.path)
    return _render(InternalServerError.code)
