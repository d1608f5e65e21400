"""Writing files so that a failure never leaves a half-written file under the chosen name."""

from __future__ import annotations

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
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def replace_atomically(path: Path, data: bytes) -> None:
    write_atomically(path, lambda temp: temp.write_bytes(data))
