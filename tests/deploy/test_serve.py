"""`scripts/serve` as a developer or a small office runs it: started twice, with a correction
made in the back office in between — the second start's import leaves it alone."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from opengov.site import create_app
from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service import users as accounts
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.catalog.models import Document
from opengov.site.catalog.service import editorial
from opengov.site.config import PROJECT_ROOT
from opengov.site.db import get_database, get_session, unit_of_work
from tests.conftest import TEST_PASSWORD
from tests.support.deployment import wait_for_port
from tests.support.smtp import free_port

pytestmark = pytest.mark.slow
POLICY = "2011-zhongbanfa-22-shenhua-zhengwu-gongkai"


@contextmanager
def serving(instance: Path, port: int, log: Path) -> Iterator[None]:
    env = {**os.environ, "OPENGOV_INSTANCE_PATH": str(instance),
           "OPENGOV_BIND": f"127.0.0.1:{port}", "OPENGOV_WORKERS": "1"}
    with log.open("ab") as output:
        # A session of its own, so that the script, gunicorn and the workers it started are
        # stopped together by the script's process group id.
        process = subprocess.Popen([str(PROJECT_ROOT / "scripts" / "serve")], env=env,
                                   stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        wait_for_port(port, timeout=600)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        time.sleep(0.5)  # the index and mail workers finish their round


def test_a_back_office_correction_survives_a_restart(tmp_path: Path) -> None:
    instance, port, log = tmp_path / "instance", free_port(), tmp_path / "serve.log"
    with serving(instance, port, log):
        pass
    app = create_app({"INSTANCE_PATH": instance})
    with app.app_context():
        with unit_of_work() as session:
            reviewer, approver = (accounts.create_user(
                session, username=name, display_name="审核员", password=TEST_PASSWORD,
                roles=frozenset({Role.REVIEWER}), policy=accounts.password_policy(),
                agency_id=None) for name in ("reviewer1", "reviewer2"))
        policy = get_session().scalars(select(Document).where(
            Document.content_key == POLICY)).one()
        data = editorial.DocumentData.from_document(policy)
        data.title = "后台更正后的标题"
        editorial.correct_document(reviewer, policy.id, data, note="更正标题",
                                   origin=COMMAND_LINE)
        # Four eyes: the 更正 is live once another reviewer approves it.
        [correction] = editorial.document_corrections(approver, policy.id)
        editorial.review_correction(approver, correction.id, approve=True, opinion="同意",
                                    origin=COMMAND_LINE)
        document_id = policy.id
        get_database().engine.dispose()
    url = f"http://127.0.0.1:{port}/documents/{document_id}"
    with serving(instance, port, log), urllib.request.urlopen(url) as page:
        assert "后台更正后的标题" in page.read().decode()
    output = log.read_text(encoding="utf-8")
    assert f"冲突：{POLICY}" in output
