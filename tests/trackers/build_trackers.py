"""Writes the tracker fixtures (tests/trackers/files) and their golden files (tests/trackers/golden):
what a careful person says each tracker holds, written by hand beside its layout.

    .venv/bin/python -m tests.trackers.build_trackers

The files are committed; run this again only after changing a layout, and read the diff."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from tests.trackers import (
    layouts_a,
    layouts_b,
    layouts_c,
    layouts_d,
    layouts_e,
    layouts_f,
    layouts_g,
    layouts_h,
    layouts_k,
    layouts_links,
)

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
GOLDEN = HERE / "golden"
TODAY = date(2026, 11, 26)  # the day the goldens' default periods are read against

TRACKERS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "LSCP case review action plans 2026-27.xlsx": layouts_a.lscp_sections,
    "SAB action plan Adult F.xlsx": layouts_a.sab_two_row_header,
    "Westshire SAB appendix.xlsx": layouts_a.theme_fills,
    "SCR Sam tracker 2026-27 Q3.xlsx": layouts_a.notes_and_totals,
    "DHR Mrs A report.docx": layouts_b.dhr_word_table,
    "DHR Jo action plan.csv": layouts_b.csv_semicolon_cp1252,
    "Child G numbering.xlsx": layouts_b.numbering_in_one_column,
    "Partnership tracker.xlsx": layouts_b.review_column,
    "Child W committee tracker.xlsx": layouts_b.committee_dates,
    "Case reviews workbook.xlsx": layouts_b.several_sheets,
    "SAR sections.xlsx": layouts_c.sections_in_column_a,
    "Ava quarterly tracker.xlsx": layouts_c.group_over_quarters,
    "Rapid Review Baby T.csv": layouts_c.csv_with_title,
    "SAR Mr P report.docx": layouts_c.word_table_per_recommendation,
    "Adult M tracker.xlsx": layouts_c.instructions_and_numbered_updates,
    "SAB workbook with summary.xlsx": layouts_c.summary_sheet_and_split_heading,
    "ILACS improvement plan.xlsx": layouts_d.inspection_plan,
    "LCSPR Noor quarterly sheets.xlsx": layouts_d.quarterly_sheets,
    "SAR Mr Q open and closed.xlsx": layouts_d.archive_sheet,
    "DHR 7 performance export.txt": layouts_d.performance_export,
    "Case review actions board paper.docx": layouts_d.two_reports_in_word,
    "SCR Kit progress log.xlsx": layouts_d.logs_agencies_and_a_repeated_reference,
    "Northvale trust SAR Connor plan v3.xlsx": layouts_e.findings_merged_across,
    "Neglect thematic recommendations and actions.xlsx": layouts_e.recommendations_and_actions_on_two_sheets,
    "Review recommendations list export.csv": layouts_e.list_export,
    "Board report review action plans.docx": layouts_e.board_report_over_a_page_break,
    "Baby Z rapid review.xlsx": layouts_e.labelled_rows,
    "Elmsworth DHR Ivy tracker.xlsx": layouts_e.ticks_and_dated_headings,
    "LCSPR Amara tracker.xlsx": layouts_e.emoji_ratings,
    "DHR Kez update log.xlsx": layouts_f.update_log,
    "SAR Dora actions.xlsx": layouts_f.three_levels,
    "Southmoor CS improvement plan.xlsx": layouts_f.council_plan_after_an_inspection,
    "MASH audit findings Southmoor.csv": layouts_f.audit_findings_csv,
    "Northby quality assurance plan.xlsx": layouts_g.parent_numbers_and_a_key_beside,
    "Eastmere monthly ratings.xlsx": layouts_g.period_ratings_and_commentary,
    "Westfold thematic plan on three levels.xlsx": layouts_g.themes_over_recommendations_and_actions,
    "SAR Mabel agency tabs.xlsx": layouts_h.tab_per_agency,
    "Marlow DHR Lorna plan and progress.xlsx": layouts_h.progress_on_a_log_sheet,
    "Self-neglect thematic SAR plan.docx": layouts_h.recommendation_words_between_heading_and_table,
    "Case system SAR actions export.csv": layouts_h.system_export_with_stamps,
    "Marlow trust CQC plan.xlsx": layouts_h.trust_plan_after_an_inspection,
    "DHR Nia ratings before commentary.xlsx": layouts_h.rating_before_each_update,
    "SAR Hilda labelled blocks.xlsx": layouts_k.numbered_label_blocks,
    "LCSPR Ezra rating rows.xlsx": layouts_k.rating_rows_across_months,
    "SAR Nell verdicts export.xlsx": layouts_k.verdicts_under_any_heading,
    "DHR Rosa marked ratings.xlsx": layouts_k.ratings_marked_in_colour_columns,
    "Rapid Review Nia bilingual.xlsx": layouts_k.bilingual_halves,
    "SAR Olga revised targets.xlsx": layouts_k.targets_revised_in_the_cell,
    "LCSPR Tom struck through.xlsx": layouts_k.struck_through_when_done,
    "SAR Iris agency rows.xlsx": layouts_k.agency_rows_across_the_table,
    "Eastmere learning plans export.xlsx": layouts_links.parent_linked_project_list,
}
NEXT_QUARTER = {"LSCP case review action plans 2026-27 (Q3 copy).xlsx":
                partial(layouts_a.lscp_sections, next_quarter=True)}


def build(only: list[str] | None = None) -> list[Path]:
    """Write the fixtures (those named in `only`, else all) and their golden files."""
    FILES.mkdir(exist_ok=True)
    GOLDEN.mkdir(exist_ok=True)
    written = []
    for name, builder in {**TRACKERS, **NEXT_QUARTER}.items():
        if only and name not in only:
            continue
        path = FILES / name
        expected = builder(path)
        (GOLDEN / f"{path.stem}.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n",
                                                  encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    import sys
    for built in build(sys.argv[1:] or None):
        print(built.relative_to(HERE.parent.parent))
