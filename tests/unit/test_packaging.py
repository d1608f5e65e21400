"""The wheel holds every package of the source tree, and installed code finds its own data."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import scr_desk.paths as paths

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_of_the_source_tree_is_in_the_wheel() -> None:
    # GIVEN the packages pyproject.toml ships
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    shipped = set(config["packages"])
    # THEN every folder of code under scr_desk is among them: a new subpackage cannot be left out
    # of the wheel while the editable install the tests use still finds it
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "scr_desk").rglob("__init__.py")}
    assert found <= shipped, f"add to pyproject.toml's packages: {sorted(found - shipped)}"
    # AND every folder of resources and sample data, or setuptools leaves it to chance (and warns)
    data = {"scr_desk.resources": ROOT / "resources", "scr_desk.sample_data": ROOT / "data"}
    folders = {".".join((package, *d.relative_to(top).parts)) for package, top in data.items()
               for d in (top, *top.rglob("*")) if d.is_dir()}
    assert folders <= shipped, f"add to pyproject.toml's packages: {sorted(folders - shipped)}"
    assert (ROOT / "scr_desk" / "py.typed").is_file() and (ROOT / "scr_desk" / "LICENSE").is_file()


def test_installed_code_never_takes_a_stray_resources_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN the package installed under site-packages, beside someone else's top-level resources/
    site = tmp_path / "site-packages"
    (site / "resources" / "icons").mkdir(parents=True)
    (site / "resources" / "icons" / "scr_desk.svg").write_text("not ours")
    own = site / "scr_desk" / "resources"
    (own / "icons").mkdir(parents=True)
    (own / "icons" / "scr_desk.svg").write_text("ours")
    monkeypatch.setattr(paths, "_CHECKOUT", site)
    monkeypatch.setattr(paths, "files", lambda package: own if package == "scr_desk.resources" else None)
    # THEN the package's own data is found, not the stray folder
    assert paths.resource_path("icons/scr_desk.svg").read_text() == "ours"
