"""``gongsheng backup`` and ``gongsheng restore``: the database and the uploaded files in one
archive with a manifest and checksums (issue 14 point 11; docs/OPERATIONS.md).

The archive is a gzip'd tar file::

    manifest.json                   format, product version, time, database (vendor, server
                                    version), the applied migrations, the audit chains' heads,
                                    and SHA-256 and size of every other member
    database/gongsheng.sqlite3      SQLite: a copy made with SQLite's online backup API
    database/gongsheng.pgdump       PostgreSQL: pg_dump's custom format (pg_dump's major
                                    version must match the server's)
    files/...                       the data directory's uploaded files (MEDIA_ROOT:
                                    attachments, job files)

``restore`` checks the archive against its manifest (every member present, nothing extra,
every checksum) and against this installation (same database vendor, no migration this code
does not know) before it changes anything, and names what is wrong when it refuses.
"""

from gongsheng.cli.backup.database import BackupError

__all__ = ["BackupError"]
