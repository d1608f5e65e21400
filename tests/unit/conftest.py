"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest

from scr_desk.db.engine import Database
from tests.returns_kit import add_actions


@pytest.fixture
def with_actions(sample_db: Database) -> Database:
    """The sample plus two actions under CLARE-R3 owned by the council, one with a target."""
    return add_actions(sample_db)
