"""The README stays true: its two commands match what CI runs, and what it says about the command
line, the packages and the build matches the code. CI fails when they drift apart."""

import re
import tomllib
from pathlib import Path

from scr_desk.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
SUDO = "$(command -v sudo) "


def _commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README)


def _steps(command: str) -> list[str]:
    return command.split(" && ")


def _apt_packages(command: str) -> list[str]:
    [install] = [step for step in _steps(command) if " apt-get install " in step]
    return install.split("install -y ", 1)[1].split()


def _ci_variable(name: str) -> list[str]:
    found = re.search(rf'^{name}="([^"]*)"', CI, re.MULTILINE)
    assert found, name
    return found.group(1).split()


def test_both_commands_update_the_package_lists_first_and_use_sudo_only_where_it_is() -> None:
    for command in _commands()[:2]:
        steps = _steps(command)
        assert steps[0] == SUDO + "apt-get update"
        assert steps[1].startswith(SUDO + "apt-get install -y ")
        assert "sudo" not in " ".join(steps[2:])
        assert " sudo " not in f" {command} ".replace(SUDO, "")


def test_ci_runs_the_readme_test_command_word_for_word() -> None:
    test = _commands()[1]
    after_apt = " && ".join(_steps(test)[2:])
    assert after_apt in CI.splitlines()
    assert "pytest" in after_apt and "'.[test,bundle]'" in after_apt
    assert CI.index("apt-get update") < CI.index("apt-get install") < CI.index(after_apt)


def test_start_command_opens_the_illustrative_partnership() -> None:
    start = _commands()[0]
    assert start.endswith(".venv/bin/scr-desk --showcase")
    assert "pip install -e ." in start


def test_ci_installs_the_packages_the_readme_names() -> None:
    readme = set(_apt_packages(_commands()[1]))
    ci = set(_ci_variable("SYSTEM_PACKAGES")) | {"python3-venv"}  # CI adds python3-venv when venv lacks it
    assert readme == ci


def test_the_readme_says_what_ci_installs_beyond_its_list() -> None:
    for package in _ci_variable("TEST_TOOLS"):
        assert f"`{package}`" in README or package.removesuffix("-eng") in README, package
    for tool in ("LibreOffice", "poppler", "tesseract", "PyInstaller"):
        assert tool in README


def test_extras_in_the_commands_exist() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for extras in re.findall(r"\.\[([a-z,]+)\]", " ".join(_commands())):
        assert set(extras.split(",")) <= set(project["optional-dependencies"])
    assert "pyinstaller" in " ".join(project["optional-dependencies"]["bundle"]).lower()
    assert project["requires-python"] == ">=3.11" and "Python 3.11 or newer" in README
    assert set(project["scripts"]) | set(project["gui-scripts"]) == {"scr-desk", "scr-desk-gui"}
    assert "`scr-desk-gui`" in README


def test_every_command_and_option_of_the_parser_is_in_the_command_line_section() -> None:
    section = README.split("## Command line", 1)[1].split("\n## ", 1)[0]
    parser = build_parser()
    [subparsers] = [a for a in parser._actions if a.dest == "command"]
    for name in subparsers.choices:
        assert f"scr-desk {name} " in section, name
    for action in parser._actions:
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                assert option in section, option


def test_every_option_of_every_command_is_on_that_commands_lines() -> None:
    # Each command's lines: from "scr-desk NAME " down to the next line naming a command
    section = README.split("## Command line", 1)[1].split("\n## ", 1)[0]
    lines = section.split("```", 2)[1].splitlines()
    parser = build_parser()
    [subparsers] = [a for a in parser._actions if a.dest == "command"]
    for name, command in subparsers.choices.items():
        text, inside = [], False
        for line in lines:
            if line.startswith("scr-desk"):
                inside = line.startswith(f"scr-desk {name} ")
            if inside:
                text.append(line)
        assert text, name
        for action in command._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in "\n".join(text), f"{name} {option}"


def test_without_python_section_matches_the_spec() -> None:
    assert (ROOT / "scr-desk.spec").is_file()
    section = README.split("## Without Python", 1)[1]
    assert "pyinstaller --noconfirm scr-desk.spec" in section and "dist/scr-desk/" in section
    assert (ROOT / ".github" / "workflows" / "bundle.yml").is_file() and "bundle.yml" in section


def test_the_readme_names_no_file_outside_the_repository() -> None:
    assert "DESIGN.md" not in README and "../shared" not in README
    for path in re.findall(r"`((?:tests|scr_desk|data|docs|bench|resources)/[\w/.-]+)`", README):
        assert (ROOT / path.rstrip("/")).exists(), path
