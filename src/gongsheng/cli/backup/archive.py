"""The backup archive: writing it with its manifest, and checking it before a restore."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from gongsheng.cli.backup.database import BackupError

FORMAT = "gongsheng-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024

Advance = Callable[[int], None]


def sha256_file(path: Path, advance: Advance | None = None) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
            if advance:
                advance(len(block))
    return digest.hexdigest()


def uploaded_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(archive name, path) of every file under the uploads directory, in a stable order."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield "files/" + path.relative_to(root).as_posix(), path


def applied_migrations() -> list[list[str]]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def product_version() -> str:
    from gongsheng import __version__

    return __version__


def build_manifest(
    *, database: dict[str, Any], members: dict[str, dict[str, Any]], audit_chains: dict
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "product_version": product_version(),
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": database,
        "migrations": applied_migrations(),
        "audit_chains": audit_chains,
        "members": members,
    }


def write(target: Path, manifest: dict[str, Any], sources: dict[str, Path], advance: Advance):
    """Write the archive to ``target`` (through a partial file renamed when complete)."""
    partial = target.with_name(target.name + ".partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    blob = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    try:
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(blob), int(dt.datetime.now().timestamp()), 0o600
            tar.addfile(info, io.BytesIO(blob))
            for name, path in sources.items():
                info = tar.gettarinfo(str(path), arcname=name)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                with open(path, "rb") as fh:
                    tar.addfile(info, fh)
                advance(info.size)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


@dataclass
class Checked:
    """An archive that matched its manifest, unpacked into ``root``."""

    manifest: dict[str, Any]
    root: Path

    @property
    def database(self) -> Path:
        return self.root / self.manifest["database"]["member"]

    @property
    def files_root(self) -> Path:
        return self.root / "files"


def _safe_name(name: str) -> bool:
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts and name == p.as_posix()


def _damaged(path: Path, why: str) -> BackupError:
    return BackupError(f"备份文件已损坏 the archive {path} is damaged: {why}")


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest, read without unpacking anything else."""
    if not path.is_file():
        raise BackupError(f"找不到备份文件 no such archive: {path}")
    try:
        with tarfile.open(path, "r:*") as tar:
            member = tar.next()
            if member is None or member.name != MANIFEST:
                raise _damaged(path, f"it does not begin with {MANIFEST}")
            fh = tar.extractfile(member)
            assert fh is not None
            manifest = json.loads(fh.read().decode("utf-8"))
    except (tarfile.TarError, OSError, EOFError, UnicodeDecodeError, ValueError) as exc:
        raise _damaged(path, f"it cannot be read ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(path, f"{MANIFEST} is not a Gongsheng backup manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"备份格式版本不符 archive format version {manifest.get('format_version')!r}; this "
            f"version of Gongsheng reads version {FORMAT_VERSION}"
        )
    for key in ("database", "migrations", "members"):
        if key not in manifest:
            raise _damaged(path, f"{MANIFEST} has no {key!r}")
    return manifest


def check_compatible(manifest: dict[str, Any], *, vendor: str) -> list[str]:
    """Refuse an archive this installation cannot take; returns warnings for one it can."""
    archived = manifest["database"].get("vendor")
    if archived != vendor:
        raise BackupError(
            f"数据库类型不符 the archive holds a {archived} database; this installation uses "
            f"{vendor} (DATABASE_URL). Restore it into a {archived} installation."
        )
    known = known_migrations()
    unknown = [f"{a}.{n}" for a, n in manifest["migrations"] if (a, n) not in known]
    if unknown:
        raise BackupError(
            "备份来自更新的版本 the archive was made by a newer version of Gongsheng "
            f"({manifest.get('product_version')}): this code does not know the migration(s) "
            + ", ".join(unknown[:5])
            + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        )
    applied = {tuple(m) for m in manifest["migrations"]}
    behind = sorted(known - applied)
    if behind:
        return [
            f"the archive predates {len(behind)} migration(s) of this code "
            f"(first: {behind[0][0]}.{behind[0][1]}); run `gongsheng migrate` after the restore"
        ]
    return []


def unpack(path: Path, manifest: dict[str, Any], into: Path, advance: Advance) -> Checked:
    """Unpack every member into ``into``, checking names, sizes and SHA-256 against the
    manifest; refuses a missing, extra or altered member, naming it."""
    expected: dict[str, dict[str, Any]] = manifest["members"]
    seen: set[str] = set()
    try:
        with tarfile.open(path, "r:*") as tar:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                name = member.name
                if not _safe_name(name) or not member.isfile():
                    raise _damaged(path, f"member {name!r} is not a plain file inside it")
                if name not in expected:
                    raise _damaged(path, f"member {name!r} is not in the manifest")
                if name in seen:
                    raise _damaged(path, f"member {name!r} appears twice")
                seen.add(name)
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                fh = tar.extractfile(member)
                assert fh is not None
                digest, size = hashlib.sha256(), 0
                with open(target, "wb") as out:
                    while block := fh.read(CHUNK):
                        digest.update(block)
                        out.write(block)
                        size += len(block)
                        advance(len(block))
                want = expected[name]
                if size != want.get("size") or digest.hexdigest() != want.get("sha256"):
                    raise _damaged(path, f"member {name!r} does not match its SHA-256 checksum")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise _damaged(path, f"it cannot be read to the end ({exc})") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise _damaged(path, f"member {missing[0]!r} is missing ({len(missing)} missing)")
    return Checked(manifest, into)
