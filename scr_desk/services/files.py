"""Writing files so that a failure never leaves a half-written file under the chosen name."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(path: Path, writer: Callable[[Path], None]) -> None:
    """Call `writer` on a temporary file in the same folder, then move it into place.

    On any failure (a full disk included) the temporary file is removed and whatever was at
    `path` before is left exactly as it was.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    os.close(handle)
    temp = Path(temp_name)
    try:
        writer(temp)
        with temp.open("rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        translated = as_os_error(exc, path)
        if translated is not None:
            raise translated from exc
        raise


_LXML_IO = {"IO_ENOSPC": errno.ENOSPC, "IO_EFBIG": errno.EFBIG, "IO_EDQUOT": errno.EDQUOT,
            "IO_EACCES": errno.EACCES, "IO_EIO": errno.EIO}


def as_os_error(error: BaseException, path: Path) -> OSError | None:
    """openpyxl writes through lxml when it is installed, and lxml reports a full disk as a
    SerialisationError ('IO_ENOSPC', 'IO_EFBIG'): give it back as the OSError it is."""
    if type(error).__name__ == "SerialisationError":
        code = next((number for name, number in _LXML_IO.items() if name in str(error)), errno.EIO)
        return OSError(code, os.strerror(code), str(path))
    return None


def replace_atomically(path: Path, data: bytes) -> None:
    write_atomically(path, lambda temp: temp.write_bytes(data))
