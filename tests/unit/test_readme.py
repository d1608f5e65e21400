"""The README's two commands stay true: CI runs the test command word for word."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))


def test_ci_runs_the_readme_test_command() -> None:
    start, test = _commands()[:2]
    after_apt = test.split(" && ", 1)[1]
    assert after_apt in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pytest" in after_apt and "'.[test]'" in after_apt


def test_start_command_opens_the_sample() -> None:
    start = _commands()[0]
    assert start.endswith(".venv/bin/scr-desk --sample")
    assert "pip install -e ." in start


def test_ci_installs_the_packages_the_readme_names() -> None:
    test = _commands()[1]
    apt = test.split(" && ", 1)[0].split("install -y ", 1)[1].split()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert all(package in ci for package in apt if package != "python3-venv")
