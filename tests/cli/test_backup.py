"""``gongsheng backup`` and ``gongsheng restore`` from the command line: the archive holds a
manifest with every member's SHA-256, the migration state and the product version; restore
checks it first and refuses a damaged or mismatched archive, naming what is wrong, without
changing anything."""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from tests.cli._cli import Installation, installation

EVIDENCE = "attachments/2025/06/凭证.txt"


@pytest.fixture(scope="module")
def sqlite_install(tmp_path_factory) -> tuple[Installation, Path]:
    """A migrated SQLite installation with one uploaded file, and a backup of it."""
    tmp = tmp_path_factory.mktemp("backup")
    saved = os.environ.pop("DATABASE_URL", None)  # these tests are about the archive: SQLite
    try:
        inst = installation(tmp)
    finally:
        if saved is not None:
            os.environ["DATABASE_URL"] = saved
    inst.run("migrate", "--no-input", "-v", "0")
    (inst.data / "uploads" / EVIDENCE).parent.mkdir(parents=True)
    (inst.data / "uploads" / EVIDENCE).write_text("佐证 evidence\n")
    archive = tmp / "good.tar.gz"
    proc = inst.run("backup", "--output", str(archive))
    assert "backup written" in proc.stderr
    return inst, archive


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}


def _rewrite(source: Path, target: Path, change) -> Path:
    """A copy of the archive whose members ``change(members)`` edits (a dict name -> bytes)."""
    members = _members(source)
    change(members)
    with tarfile.open(target, "w:gz") as tar:
        for name, blob in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    return target


def _manifest(change):
    def edit(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        change(manifest)
        members["manifest.json"] = json.dumps(manifest).encode()

    return edit


def _alter(members: dict[str, bytes]) -> None:
    members[f"files/{EVIDENCE}"] += b"x"


def _drop_database(members: dict[str, bytes]) -> None:
    del members["database/gongsheng.sqlite3"]


def _plant(members: dict[str, bytes]) -> None:
    members["files/planted.txt"] = b"not in the manifest"


def test_the_archive_has_a_manifest_with_checksums(sqlite_install):
    import hashlib

    from gongsheng import __version__

    _inst, archive = sqlite_install
    members = _members(archive)
    manifest = json.loads(members.pop("manifest.json"))
    assert manifest["product_version"] == __version__
    assert manifest["database"] == {
        "vendor": "sqlite",
        "server_major": None,
        "member": "database/gongsheng.sqlite3",
    }
    assert ["audit", "0005_chain_constraint_and_guard"] in manifest["migrations"]
    assert (
        set(manifest["members"])
        == set(members)
        == {
            "database/gongsheng.sqlite3",
            f"files/{EVIDENCE}",
        }
    )
    for name, blob in members.items():
        assert manifest["members"][name] == {
            "sha256": hashlib.sha256(blob).hexdigest(),
            "size": len(blob),
        }
    assert manifest["audit_chains"]["0"]["seq"] >= 1  # the backup is itself audited


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (_alter, f"member 'files/{EVIDENCE}' does not match its SHA-256 checksum"),
        (_drop_database, "member 'database/gongsheng.sqlite3' is missing"),
        (_plant, "member 'files/planted.txt' is not in the manifest"),
        (_manifest(lambda m: m["migrations"].append(["audit", "9999_future"])), "audit.9999_future"),
        (_manifest(lambda m: m["database"].update(vendor="postgresql")), "holds a postgresql database"),
        (_manifest(lambda m: m.update(format_version=99)), "format version 99"),
    ],
    ids=["altered file", "missing member", "extra member", "newer migration", "other database", "format"],
)  # fmt: skip
def test_restore_refuses_a_damaged_or_mismatched_archive(sqlite_install, tmp_path, damage, says):
    inst, archive = sqlite_install
    bad = _rewrite(archive, tmp_path / "bad.tar.gz", damage)
    evidence = inst.data / "uploads" / EVIDENCE
    evidence.write_text("changed since the backup\n")
    db_before = (inst.data / "gongsheng.sqlite3").read_bytes()
    proc = inst.run("restore", str(bad), "--yes", "--quiet", check=False)
    assert proc.returncode == 1
    assert "restore refused" in proc.stderr or "restore failed" in proc.stderr
    assert says in proc.stderr.replace("\n", "")
    # nothing changed
    assert evidence.read_text() == "changed since the backup\n"
    assert (inst.data / "gongsheng.sqlite3").read_bytes() == db_before


def test_restore_refuses_a_truncated_or_missing_archive(sqlite_install, tmp_path):
    inst, archive = sqlite_install
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    proc = inst.run("restore", str(cut), "--yes", check=False)
    assert proc.returncode == 1 and "is damaged" in proc.stderr
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    proc = inst.run("restore", str(junk), "--yes", check=False)
    assert proc.returncode == 1 and "is damaged" in proc.stderr
    proc = inst.run("restore", str(tmp_path / "nowhere.tar.gz"), "--yes", check=False)
    assert proc.returncode == 1 and "no such archive" in proc.stderr


def test_restore_asks_before_replacing(sqlite_install):
    inst, archive = sqlite_install
    proc = inst.run("restore", str(archive), check=False)  # no terminal, no --yes
    assert proc.returncode == 1 and "--yes" in proc.stderr


def test_restore_puts_back_the_files_and_the_database(sqlite_install):
    inst, archive = sqlite_install
    evidence = inst.data / "uploads" / EVIDENCE
    evidence.write_text("changed since the backup\n")
    (inst.data / "uploads" / "stray.txt").write_text("written after the backup")
    proc = inst.run("restore", str(archive), "--yes", "--quiet")
    assert "restored from" in proc.stderr and "audit chains intact" in proc.stderr
    assert evidence.read_text() == "佐证 evidence\n"
    assert not (inst.data / "uploads" / "stray.txt").exists()
    assert "audit chains intact" in inst.run("audit", "verify", "--quiet").stdout


@pytest.mark.db
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="pg_dump is used on PostgreSQL",
)
def test_pg_dump_of_another_major_version_is_refused(tmp_path):
    inst = installation(tmp_path)
    try:
        fake = tmp_path / "bin"
        fake.mkdir()
        (fake / "pg_dump").write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.9'\n")
        (fake / "pg_dump").chmod(0o755)
        inst.env["GONGSHENG_PG_BIN"] = str(fake)
        proc = inst.run("backup", "--output", str(tmp_path / "b.tar.gz"), check=False)
    finally:
        inst.drop()
    assert proc.returncode == 1
    assert "must match the server's major version" in proc.stderr
    assert "version 14" in proc.stderr and "postgresql-client-15" in proc.stderr
    assert not (tmp_path / "b.tar.gz").exists()
