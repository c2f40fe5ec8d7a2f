"""The restore drill's check: every stored file exists and matches its checksum.

Files live in Django's default storage under ``MEDIA_ROOT`` inside ``GONGSHENG_DATA``, so a
backup of the data directory takes them; after a restore, ``verify()`` proves they came back
whole. Removed attachments are checked too (their bytes are kept).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from gongsheng.attachments.checks import sha256_of
from gongsheng.attachments.models import Attachment


@dataclass
class VerifyReport:
    checked: int = 0
    missing: list[int] = field(default_factory=list)  # attachment ids whose file is gone
    mismatched: list[int] = field(default_factory=list)  # ids whose bytes changed

    @property
    def ok(self) -> bool:
        return not self.missing and not self.mismatched


def verify(progress: Callable[[int, int], None] | None = None) -> VerifyReport:
    """Check every attachment's file against its stored SHA-256 (streamed, constant memory).

    ``progress(done, total)`` is called after each file, for a progress bar or a job.
    """
    report = VerifyReport()
    qs = Attachment.objects.order_by("pk").values_list("pk", "file", "sha256")
    total = qs.count()
    storage = Attachment._meta.get_field("file").storage
    for pk, name, expected in qs.iterator(chunk_size=500):
        report.checked += 1
        try:
            with storage.open(name, "rb") as fh:
                actual = sha256_of(fh)
        except (FileNotFoundError, OSError):
            report.missing.append(pk)
        else:
            if actual != expected:
                report.mismatched.append(pk)
        if progress is not None:
            progress(report.checked, total)
    return report
