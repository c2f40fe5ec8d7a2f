"""The two console commands: ``gongsheng backup [--output PATH]`` and
``gongsheng restore PATH [--yes]``. Exit status 0 on success, 1 when refused or failed,
2 for bad usage."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from gongsheng.cli._help import parser
from gongsheng.cli.backup import archive, database
from gongsheng.cli.backup.database import BackupError


def _console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _progress(console: Any, quiet: bool) -> Any:
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=False,
    )


def _media_root() -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT)


def _audit(event: Any, action: str, message: str) -> None:
    from django.db import transaction

    from gongsheng.audit.services import audit_record
    from gongsheng.core.actors import SYSTEM
    from gongsheng.core.context import request_scope

    with request_scope(), transaction.atomic():
        audit_record(
            actor=SYSTEM, event=event, action=action, message=message, object_repr="backup"
        )


def _default_output() -> Path:
    from django.conf import settings

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"gongsheng-{stamp}.tar.gz"


# --- backup ------------------------------------------------------------------------------


def backup(argv: list[str]) -> int:
    ap = parser(
        "backup",
        description="备份 Back up the database and the uploaded files into one archive "
        "(a manifest with SHA-256 checksums, the migration state and the product version).",
    )
    ap.add_argument("--output", type=Path, help="the archive (default: "
                    "$GONGSHENG_DATA/backups/gongsheng-YYYYMMDD-HHMMSS.tar.gz)")  # fmt: skip
    ap.add_argument("--quiet", action="store_true", help="no progress bar")
    args = ap.parse_args(argv)
    console = _console()
    target = args.output or _default_output()
    if target.is_dir():
        target = target / _default_output().name
    from django.db import DatabaseError

    try:
        written = run_backup(target, console=console, quiet=args.quiet)
    except (BackupError, DatabaseError) as exc:
        console.print(f"备份失败 backup failed: {exc}", markup=False)
        return 1
    console.print(f"备份完成 backup written: {written}", markup=False)
    return 0


def run_backup(target: Path, *, console: Any, quiet: bool = False) -> Path:
    from gongsheng.audit.chain import heads_snapshot
    from gongsheng.audit.events import AuditEvent

    vendor = database.vendor()
    database.preflight()
    _audit(AuditEvent.BACKUP_CREATED, "export", f"backup to {target.name}")
    heads = heads_snapshot()  # before the dump, so the dump holds at least these entries
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=target.parent if
                                     target.parent.exists() else None) as tmp, \
            _progress(console, quiet) as bar:  # fmt: skip
        dump = Path(tmp) / database.dump_name()
        task = bar.add_task("导出数据库 dumping the database", total=None)
        database.dump(dump, lambda done, total: bar.update(task, completed=done, total=total))
        bar.update(task, completed=1, total=1)
        sources = {f"database/{dump.name}": dump, **dict(archive.uploaded_files(_media_root()))}
        total = sum(p.stat().st_size for p in sources.values())
        task = bar.add_task("计算校验和 checksums", total=total)
        members = {}
        for name, path in sources.items():
            digest = archive.sha256_file(path, lambda n: bar.advance(task, n))
            members[name] = {"sha256": digest, "size": path.stat().st_size}
        manifest = archive.build_manifest(
            database={
                "vendor": vendor,
                "server_major": database.server_major(),
                "member": f"database/{dump.name}",
            },
            members=members,
            audit_chains=heads,
        )
        task = bar.add_task("写入备份 writing the archive", total=total)
        archive.write(target, manifest, sources, lambda n: bar.advance(task, n))
    return target


# --- restore -----------------------------------------------------------------------------


def restore(argv: list[str]) -> int:
    ap = parser(
        "restore",
        description="恢复 Restore the database and the uploaded files from a backup archive, "
        "after checking it against its manifest. Replaces everything now there: stop the web "
        "server and the workers first.",
    )
    ap.add_argument("archive", type=Path, help="the archive written by `gongsheng backup`")
    ap.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    ap.add_argument("--quiet", action="store_true", help="no progress bar")
    args = ap.parse_args(argv)
    console = _console()
    try:
        manifest = archive.read_manifest(args.archive)
        warnings = archive.check_compatible(manifest, vendor=database.vendor())
    except BackupError as exc:
        console.print(f"拒绝恢复 restore refused: {exc}", markup=False)
        return 1
    console.print(
        f"备份 archive of {manifest.get('created_at')}, Gongsheng {manifest.get('product_version')}"
        f", {manifest['database'].get('vendor')}, {len(manifest['members'])} member(s).",
        markup=False,
    )
    if not args.yes:
        if not sys.stdin.isatty():
            console.print("拒绝恢复 restore refused: confirm with --yes (no terminal to ask on)")
            return 1
        answer = input("这将替换现有的全部数据 This replaces all data now there. Continue? [y/N] ")
        if answer.strip().lower() not in {"y", "yes", "是"}:
            console.print("已取消 cancelled")
            return 1
    from django.db import DatabaseError

    try:
        run_restore(args.archive, manifest, console=console, quiet=args.quiet)
    except (BackupError, DatabaseError) as exc:
        console.print(f"恢复失败 restore failed: {exc}", markup=False)
        return 1
    for warning in warnings:
        console.print(f"注意 note: {warning}", markup=False)
    console.print(f"恢复完成 restored from {args.archive}", markup=False)
    return 0


def _check_heads(heads: dict[str, dict[str, Any]]) -> None:
    """Every chain head the manifest recorded is an entry of the restored log."""
    from gongsheng.audit.models import AuditEntry

    for chain, head in heads.items():
        if head["seq"] <= head.get("anchor_seq", 0):
            continue
        entry = AuditEntry.objects.filter(chain=int(chain), seq=head["seq"]).first()
        if entry is None or entry.hash != head["hash"]:
            raise BackupError(
                f"恢复后审计链与备份清单不符 chain {chain}: the manifest's head (position "
                f"{head['seq']}) is not in the restored audit log"
            )


def run_restore(path: Path, manifest: dict[str, Any], *, console: Any, quiet: bool = False):
    from gongsheng.audit.chain import verify
    from gongsheng.audit.events import AuditEvent

    media = _media_root()
    media.parent.mkdir(parents=True, exist_ok=True)
    total = sum(int(m.get("size", 0)) for m in manifest["members"].values())
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=media.parent) as tmp, \
            _progress(console, quiet) as bar:  # fmt: skip
        task = bar.add_task("校验备份 checking the archive", total=total)
        checked = archive.unpack(path, manifest, Path(tmp), lambda n: bar.advance(task, n))
        task = bar.add_task("恢复数据库 restoring the database", total=None)
        database.restore(
            checked.database, lambda done, total: bar.update(task, completed=done, total=total)
        )
        bar.update(task, completed=1, total=1)
        task = bar.add_task("恢复文件 restoring the files", total=1)
        aside = media.with_name(media.name + ".before-restore")
        shutil.rmtree(aside, ignore_errors=True)
        if media.exists():
            media.rename(aside)
        if checked.files_root.exists():
            shutil.move(str(checked.files_root), str(media))
        else:
            media.mkdir(parents=True)
        shutil.rmtree(aside, ignore_errors=True)
        bar.update(task, completed=1)
    result = verify()
    if not result.ok and result.first_break is not None:
        raise BackupError(
            "恢复后审计链校验失败 the restored audit log does not verify: "
            + result.first_break.describe()
        )
    _check_heads(manifest.get("audit_chains") or {})
    console.print(
        f"审计链完好 audit chains intact: {len(result.chains)} chain(s), {result.entries} entries.",
        markup=False,
    )
    if not (archive.known_migrations() - {tuple(m) for m in manifest["migrations"]}):
        _audit(
            AuditEvent.BACKUP_RESTORED,
            "import",
            f"restored from {path.name} (made {manifest.get('created_at')})",
        )
