"""The policy's evidence file moves onto attachments (migration environment 0002): a policy
with a file the old way gets an attachment keeping the file and its name; going back puts it
on the policy again."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.environment.support import make_policy
from tests.support.migrations import latest_schema_after  # noqa: F401 (autouse)

BEFORE = [("environment", "0001_initial"), ("attachments", "0001_initial")]
AFTER = [("environment", "0002_evidence_to_attachments")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_evidence_file_becomes_an_attachment(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    policy = make_policy(world)
    bare = make_policy(world, title="No document")
    try:
        old = _migrate(BEFORE)
        (tmp_path / "policies/2024/05").mkdir(parents=True)
        (tmp_path / "policies/2024/05/policy-1.pdf").write_bytes(b"%PDF-1.4 policy")
        old.get_model("environment", "PublicPolicy").objects.filter(pk=policy.pk).update(
            evidence="policies/2024/05/policy-1.pdf", evidence_name="市政府文件.pdf"
        )
        new = _migrate(AFTER)
        [a] = new.get_model("attachments", "Attachment").objects.all()
        assert (a.object_id, a.purpose, a.name, a.file.name) == (
            policy.pk, "evidence", "市政府文件.pdf", "policies/2024/05/policy-1.pdf"
        )  # fmt: skip
        assert (a.size, a.sha256, a.mime_type) == (
            15, hashlib.sha256(b"%PDF-1.4 policy").hexdigest(), "application/pdf"
        )  # fmt: skip
        ct = new.get_model("contenttypes", "ContentType").objects.get(pk=a.content_type_id)
        assert (ct.app_label, ct.model) == ("environment", "publicpolicy")
        assert Path(tmp_path / a.file.name).read_bytes() == b"%PDF-1.4 policy"  # not copied
        from gongsheng.attachments.integrity import verify

        assert verify().ok
        old = _migrate(BEFORE)
        rows = dict(
            old.get_model("environment", "PublicPolicy").objects.values_list("pk", "evidence_name")
        )
        assert rows == {policy.pk: "市政府文件.pdf", bare.pk: ""}
    finally:
        _migrate(AFTER)
