"""The access package: a zip with one JSON file per collection and an index.html, in the "packages" storage.

Threads append records page by page to one temporary JSON-array file per collection; `finish` streams
those files into the zip and the zip into storage, so memory does not grow with the number of messages.
"""

import shutil
import tempfile
import threading
import zipfile
from pathlib import Path

import orjson
from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.template.loader import render_to_string
from django.utils import timezone

from .engine import Page

REDACTED = "[redacted]"


class PackageWriter:
    def __init__(self, *, request_id: str, labels: dict[str, str], include_others: bool):
        self.request_id = request_id
        self.labels = labels
        self.include_others = include_others
        self._dir = tempfile.TemporaryDirectory(prefix="package-")
        self._files: dict[str, tuple] = {}
        self._lock = threading.Lock()

    def add(self, page: Page) -> None:
        name = page.endpoint.name
        self._write(name, page.owned)
        if self.include_others and page.others:
            # Other people's records are theirs: kept only with the fields that identify them removed.
            hide = {rule.field.split(".")[0] for rule in page.endpoint.subject_match}
            self._write(
                f"others_{name}",
                [{k: (REDACTED if k in hide else v) for k, v in r.items()} for r in page.others],
            )

    def _write(self, name: str, records: list[dict]) -> None:
        with self._lock:
            if name not in self._files:
                fh = open(Path(self._dir.name) / f"{name}.json", "wb")  # noqa: SIM115
                fh.write(b"[")
                self._files[name] = (fh, [0])
            fh, count = self._files[name]
            for record in records:
                # orjson writes UTF-8 (non-ASCII as is) several times faster than the json module.
                fh.write((b"\n" if count[0] == 0 else b",\n") + orjson.dumps(record))
                count[0] += 1

    def finish(self, *, others: dict[str, int]) -> str:
        """Close the collection files, zip them with the summary, save to storage; returns the stored name."""
        counts = {}
        for name, (fh, count) in self._files.items():
            fh.write(b"\n]\n")
            fh.close()
            counts[name] = count[0]
        for name in self.labels:
            if name not in self._files:
                (Path(self._dir.name) / f"{name}.json").write_text("[]\n", encoding="utf-8")
                counts[name] = 0
        zip_path = Path(self._dir.name) / "package.zip"
        with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in sorted(counts):
                with (
                    open(Path(self._dir.name) / f"{name}.json", "rb") as src,
                    zf.open(f"{name}.json", "w") as dst,
                ):
                    shutil.copyfileobj(src, dst, 1024 * 1024)
            zf.writestr("index.html", self._index(counts, others))
        storage = storages["packages"]
        name = f"{self.request_id}/data-package-{timezone.now():%Y%m%d-%H%M%S}.zip"
        with open(zip_path, "rb") as fh:
            stored = storage.save(name, File(fh, name=name))
        self._dir.cleanup()
        return stored

    def discard(self) -> None:
        for fh, _ in self._files.values():
            fh.close()
        self._dir.cleanup()

    def _index(self, counts: dict[str, int], others: dict[str, int]) -> str:
        files = [
            {
                "file": f"{name}.json",
                "label": self.labels.get(name, "Other people's records, author removed"),
                "count": count,
            }
            for name, count in sorted(counts.items())
        ]
        others = {k: v for k, v in others.items() if v}
        return render_to_string(
            "connector/package_index.html",
            {
                "organization": settings.ORGANIZATION_NAME,
                "request_id": self.request_id,
                "created": timezone.now(),
                "files": files,
                "others_total": sum(others.values()),
                "others_detail": ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(others.items())),
                "include_others": self.include_others,
            },
        )
