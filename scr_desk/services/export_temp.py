"""Where a streaming export keeps its scratch files: in a private folder inside the data folder.

openpyxl's write-only mode streams each sheet into a temporary file before zipping the workbook.
By default those go to the system's shared temp folder, uncompressed, readable, and are removed
only when the process exits, so a killed or cancelled export of the whole record left case text
lying there. Here they go into `<data folder>/tmp` (0700), named with the writing process's id;
an export deletes its own on success, cancel and failure, and stale ones (their process is gone)
are swept at start.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import NamedTemporaryFile

from scr_desk.db.private import private_temp_dir, process_alive

__all__ = ["DRY_RUN_PREFIX", "PREFIX", "install", "private_scratch", "sweep_stale_scratch"]


PREFIX = "openpyxl."
DRY_RUN_PREFIX = "dry-run."  # a trial database made by `import --dry-run` into a new path
_local = threading.local()
_installed = False
_install_lock = threading.Lock()


def _create_temporary_file(suffix: str = "") -> str:
    """openpyxl's `create_temporary_file`, writing into the private folder instead."""
    from openpyxl.worksheet import _writer
    folder = getattr(_local, "folder", None) or private_temp_dir()
    with NamedTemporaryFile(mode="w+", suffix=suffix, prefix=f"{PREFIX}{os.getpid()}.", dir=folder,
                            delete=False) as handle:
        name = handle.name
    _writer.ALL_TEMP_FILES.append(name)
    created = getattr(_local, "created", None)
    if created is not None:
        created.append(name)
    return name


def install() -> None:
    """Route every write-only workbook's scratch files into the private folder (once)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        from openpyxl.worksheet import _writer
        _writer.create_temporary_file = _create_temporary_file
        _installed = True


@contextmanager
def private_scratch() -> Iterator[Path]:
    """Within this block, streaming scratch files go into the private folder, and whatever of
    them is left when the block ends (by success, cancel or failure) is deleted."""
    install()
    folder = private_temp_dir()
    _local.folder, _local.created = folder, []
    try:
        yield folder
    finally:
        from openpyxl.worksheet import _writer
        for name in _local.created:
            Path(name).unlink(missing_ok=True)
            if name in _writer.ALL_TEMP_FILES:
                _writer.ALL_TEMP_FILES.remove(name)
        _local.folder, _local.created = None, None


def sweep_stale_scratch(folder: Path | None = None) -> list[Path]:
    """Delete scratch files whose process has gone (a killed export); called at start."""
    if folder is None:
        from scr_desk.paths import user_data_dir
        folder = user_data_dir() / "tmp"
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        parts = path.name.split(".")
        if not path.name.startswith((PREFIX, DRY_RUN_PREFIX)) or len(parts) < 3 or not parts[1].isdigit():
            continue
        pid = int(parts[1])
        if pid != os.getpid() and not process_alive(pid):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed
