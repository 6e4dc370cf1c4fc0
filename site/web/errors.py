"""Chinese error pages for people, JSON errors for the API.

A service's refusal (:mod:`opengov.site.exceptions`) becomes its status — 404, 403, 400 or
409 — with the service's Chinese message shown, so views need not catch what they cannot fix.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from opengov.site.exceptions import ServiceError

log = logging.getLogger(__name__)

MESSAGES = {
    400: "请求有误",
    403: "没有访问权限",
    404: "页面不存在",
    405: "不支持该请求方式",
    409: "操作与当前状态冲突",
    410: "该页面已撤销",
    413: "上传的文件过大",
    429: "请求过于频繁，请稍后再试",
    500: "服务器内部错误",
    503: "服务暂时不可用",
}


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(ServiceError, _service_error)
    app.register_error_handler(Exception, _unexpected_error)


def _render(status: int, detail: str = "") -> ResponseReturnValue:
    title = MESSAGES.get(status, "出错了")
    if request.path.startswith("/api/"):
        return jsonify({"error": {"status": status, "message": detail or title}}), status
    return render_template("errors/error.html", status=status, title=title, detail=detail), status


def _http_error(exc: HTTPException) -> ResponseReturnValue:
    return _render(exc.code or 500)


def _csrf_error(_exc: CSRFError) -> ResponseReturnValue:
    return _render(400, "页面已过期或表单来源无效，请刷新页面后重新提交，已填写的内容请先复制保存。")


def _service_error(exc: ServiceError) -> ResponseReturnValue:
    # Expected refusals, not faults: no stack trace in the log, the message goes to the person.
    return _render(exc.status, exc.message)


def _unexpected_error(exc: Exception) -> ResponseReturnValue:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    log.exception("unhandled error on %s", request.path)
    return _render(InternalServerError.code)
