"""The window draws each rating in its own colour: the tree's RAG chip on every item, the
dashboard's bars and legend. Judged by the hue of the pixels drawn (tests/colours.py), not by
the swatch table (issue 25's first escape: Amber and Green swapped passed every test)."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QIcon
from pytestqt.qtbot import QtBot

from scr_desk.db.engine import Database
from scr_desk.domain.enums import Rag
from scr_desk.services.tree import list_reviews, load_subtrees
from scr_desk.ui.dashboard_models import StackedBars, legend_html
from scr_desk.ui.rag import rag_icon
from scr_desk.ui.tree_model import ReviewTreeModel
from tests.colours import RAG_NAMES, colour_name, meant
from tests.unit.test_rag_colours import rated_four_ways

TODAY = date(2026, 11, 26)


def chip_colour(icon: QIcon) -> str:
    """The chip's fill, read left of its letter."""
    image = icon.pixmap(32, 32).toImage()
    return colour_name(image.pixelColor(7, 16).name())


def test_each_ratings_chip_is_its_colour(qtbot: QtBot) -> None:
    assert {rag.value: chip_colour(rag_icon(rag)) for rag in Rag} == {rag.value: rag.value for rag in Rag}


def test_every_item_in_the_tree_wears_the_chip_of_its_rating(qtbot: QtBot, sample_db: Database) -> None:
    db = rated_four_ways(sample_db)
    model = ReviewTreeModel()
    model.loader = lambda review_id: load_subtrees(db.sessions, [review_id], TODAY)[review_id]
    model.set_reviews(list_reviews(db.sessions, TODAY))
    seen: dict[str, set[str]] = {}

    def walk(parent: QModelIndex) -> None:
        if model.canFetchMore(parent):
            model.fetchMore(parent)
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            rag = index.siblingAtColumn(ReviewTreeModel.COL_RAG)
            if (shown := model.data(rag)) in RAG_NAMES:
                seen.setdefault(shown, set()).add(chip_colour(model.data(rag, Qt.ItemDataRole.DecorationRole)))
            walk(index)
    walk(QModelIndex())
    assert set(seen) >= {"Red", "Amber", "Green"}
    assert all(colours == {name} for name, colours in seen.items()), seen


def test_the_dashboards_bars_and_legend_draw_each_rating_in_its_colour(qtbot: QtBot) -> None:
    bars = StackedBars("Recommendations by RAG, per review")
    qtbot.addWidget(bars)
    bars.set_rows([("Clare", {name: 1 for name in [*RAG_NAMES, "Not rated"]})])
    bars.resize(700, bars.height())
    image = bars.grab().toImage()
    runs: list[tuple[str, int]] = []  # (colour, width) along the bar's top edge, above its counts
    for x in range(image.width()):
        colour = image.pixelColor(x, 6).name()
        if runs and runs[-1][0] == colour:
            runs[-1] = (colour, runs[-1][1] + 1)
        else:
            runs.append((colour, 1))
    segments = [colour for colour, width in runs if width >= 40][-5:]
    assert [colour_name(c) for c in segments] == [meant(name) for name in [*RAG_NAMES, "Not rated"]]
    legend = re.findall(r"color:(#[0-9a-f]{6})'>&#9632;</span>&nbsp;\w&nbsp;=&nbsp;([\w&;]+)", legend_html())
    assert [(colour_name(c), name.replace("&nbsp;", " ").strip()) for c, name in legend] == \
        [(meant(name), name) for name in [*RAG_NAMES, "Not rated"]]
