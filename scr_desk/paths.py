"""Where things live: the user's data folder, and the app's own resources and sample data.

Resources and sample data sit at the top of a checkout (resources/, data/); in a wheel they
are the packages scr_desk.resources and scr_desk.sample_data; in a frozen bundle they are
under sys._MEIPASS. One resolver serves all three.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from importlib.resources import files
from pathlib import Path

import platformdirs

from scr_desk import APP_NAME

__all__ = [
    "default_database_path", "resource_path", "sample_data_path", "sample_database_path", "showcase_database_path",
    "user_data_dir",
]


_CHECKOUT = Path(__file__).resolve().parent.parent


def user_data_dir() -> Path:
    """Per-user data folder (SCR_DESK_DATA_DIR overrides it, for tests and portable use)."""
    override = os.environ.get("SCR_DESK_DATA_DIR")
    return Path(override) if override else platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    return user_data_dir() / "scr_desk.sqlite"


def sample_database_path() -> Path:
    return user_data_dir() / "sample" / "clare-sample.sqlite"


def showcase_database_path(today: date | None = None) -> Path:
    """The illustrative partnership, made afresh each month: its dates are relative to the day it
    is made, so last year's copy would no longer show two years up to now."""
    return user_data_dir() / "sample" / f"invented-partnership-{(today or date.today()):%Y-%m}.sqlite"


def _in_checkout() -> bool:
    """Running from a source checkout (an editable install included), not from an installed wheel,
    whose parent folder is site-packages: there a stray top-level `resources` must never win."""
    return (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "scr_desk" / "__init__.py").is_file()


def _locate(top_level: str, package: str, name: str) -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen and (Path(frozen) / top_level / name).exists():
        return Path(frozen) / top_level / name
    checkout = _CHECKOUT / top_level / name
    if _in_checkout() and checkout.exists():
        return checkout
    try:
        return Path(str(files(package).joinpath(name)))
    except ModuleNotFoundError:  # neither in a checkout nor installed: report the checkout path
        return checkout


def resource_path(name: str) -> Path:
    return _locate("resources", "scr_desk.resources", name)


def sample_data_path(name: str = "clare.json") -> Path:
    return _locate("data", "scr_desk.sample_data", name)
