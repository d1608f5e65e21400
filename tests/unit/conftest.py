"""Fixtures shared by the unit tests."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from scr_desk.db.engine import Database
from tests.returns_kit import add_actions


@pytest.fixture
def with_actions(sample_db: Database) -> Database:
    """The sample plus two actions under CLARE-R3 owned by the council, one with a target."""
    return add_actions(sample_db)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB disk (a tmpfs, which root can mount here), unmounted afterwards."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("a small disk can only be mounted by root here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
