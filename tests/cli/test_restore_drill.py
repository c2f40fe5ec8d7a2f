"""The restore drill (issue 14 point 11), on the database this test run uses: SQLite, or in
CI's second stage PostgreSQL 15. Load the demo, write through the API, back up, lose
everything, restore, and compare every ledger total (per unit, category and year), every
table's row count, the audit chain and the uploaded files' checksums."""

from __future__ import annotations

import json
import time

import pytest

from tests.cli._cli import installation

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("restore_drill")]

DRILL = "tests/cli/_drill.py"


def test_restore_drill(tmp_path):
    started = time.monotonic()
    inst = installation(tmp_path)
    try:
        inst.run("migrate", "--no-input", "-v", "0")
        inst.run("demo")
        inst.run(DRILL, "write")
        inst.run(DRILL, "snapshot", str(tmp_path / "before.json"))
        archive = tmp_path / "backup.tar.gz"
        inst.run("backup", "--output", str(archive), "--quiet")

        inst.wipe()
        lost = inst.run("audit", "verify", "--quiet", check=False)
        assert lost.returncode != 0  # nothing there any more

        restored = inst.run("restore", str(archive), "--yes", "--quiet")
        assert "audit chains intact" in restored.stderr
        verified = inst.run("audit", "verify", "--quiet")
        assert "audit chains intact" in verified.stdout
        inst.run(DRILL, "snapshot", str(tmp_path / "after.json"))
    finally:
        inst.drop()
    before = json.loads((tmp_path / "before.json").read_text())
    after = json.loads((tmp_path / "after.json").read_text())

    assert after["ledger"] == before["ledger"] and before["ledger"]
    assert any(row[-1] == "12345.67" for row in before["ledger"])  # the drill's own write
    assert after["files"] == before["files"]
    assert any(name.endswith(".txt") for name in before["files"])  # its evidence file
    changed = {
        label: (n, after["rows"].get(label))
        for label, n in before["rows"].items()
        if after["rows"].get(label) != n
    }
    # the backup and the restore are themselves in the audit log (one entry each)
    assert changed == {"audit.AuditEntry": (len(before["audit"]), len(before["audit"]) + 2)}
    restored_audit = {(c, s): h for c, s, h in after["audit"]}
    assert all(restored_audit.get((c, s)) == h for c, s, h in before["audit"])
    took = time.monotonic() - started
    print(f"restore drill on {inst.vendor}: {took:.0f} s")
