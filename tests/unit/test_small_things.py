"""Small things that stay done (issue 25, item 6): no colour is written outside domain/colours.py
(a red hard-coded in seven places drifted from the one the ratings use), and every module of the
layers says what it offers (`__all__`): every public function and class it defines, and nothing it
has not."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import scr_desk

PACKAGE = Path(scr_desk.__file__).parent
COLOUR = re.compile(r"#[0-9a-fA-F]{6}(?:[0-9a-fA-F]{2})?\b|^[0-9A-Fa-f]{6}(?:[0-9A-Fa-f]{2})?$")
# Not yet: the import pipeline and the tracker readers (being rewritten on their own branches), the
# dashboard's and the tree's modules (likewise), the migrations (Alembic's).
NOT_YET = re.compile(r"services/imports/|excel/tracker_|services/(dashboard|tree|search)\.py|"
                     r"ui/(dashboard|tree_|import_|tracker_answers|history_dialog)|migrations/|__init__\.py$|__main__\.py$")


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_colour_is_written_outside_the_colour_table() -> None:
    found = []
    for path in modules():
        if path.name == "colours.py" and path.parent.name == "domain":
            continue
        source = path.read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type != tokenize.STRING or token.string.lstrip("rbfuRBFU").startswith(('"""', "'''")):
                continue  # (a docstring may describe a colour it reads)
            body = token.string.lstrip("rbfuRBFU")[1:-1]
            if COLOUR.search(body):
                found.append(f"{path.relative_to(PACKAGE)}:{token.start[0]} {token.string}")
    assert found == []


def test_every_module_of_the_layers_says_what_it_offers() -> None:
    missing: list[str] = []
    unknown: list[str] = []  # listed, but not the module's
    unlisted: list[str] = []  # the module's function or class, not listed
    for path in modules():
        name = path.relative_to(PACKAGE).as_posix()
        if NOT_YET.search(name):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offered = next((node.value for node in tree.body if isinstance(node, ast.Assign)
                        and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)), None)
        if offered is None:
            missing.append(name)
            continue
        has = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
               if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names}
        has |= {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)}
        has |= {t.id for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target]) if isinstance(t, ast.Name)}
        listed = set(ast.literal_eval(offered))
        unknown += [f"{name}: {value}" for value in sorted(listed - has)]
        unlisted += [f"{name}: {node.name}" for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)
                     and not node.name.startswith("_") and node.name not in listed]
    assert missing == [] and unknown == [] and unlisted == []
