"""What the panel report says about each recommendation, as labelled plain text: one source for
the Word and the PDF writers, so the two formats cannot say different things."""

from __future__ import annotations

from scr_desk.domain.wording import days_overdue
from scr_desk.services.report_lines import ActionLine, LatestUpdate, RecommendationLine

__all__ = ["ACTION_HEADINGS", "GLANCE_HEADINGS", "NO_UPDATE", "action_row", "detail_rows", "glance_row", "latest_text"]


GLANCE_HEADINGS = ("Recommendation", "Lead agency", "Status", "RAG", "Since the last report", "Target", "Overdue")
ACTION_HEADINGS = ("Action", "Owner", "Status", "RAG", "Target", "Latest update")
NO_UPDATE = "No update recorded."


def latest_text(latest: LatestUpdate | None) -> str:
    return f"{latest.text}\n— {latest.signature}" if latest else NO_UPDATE


def glance_row(line: RecommendationLine) -> tuple[str, ...]:
    rag = line.headline_rag
    return (f"Recommendation {line.number}", line.lead or "—", line.status.value,
            rag.value if rag else "not rated", line.change, line.target_text,
            days_overdue(line.days_overdue) if line.days_overdue else "")


def detail_rows(line: RecommendationLine) -> list[tuple[str, str]]:
    """The labelled rows of a recommendation's table, in order."""
    agencies = line.lead or "—"
    if line.contributors:
        agencies += "; with " + ", ".join(line.contributors)
    rows = [("Lead agency", agencies),
            ("Status", f"{line.status_text}; RAG {line.rag_text} ({line.change})")]
    if line.assurance is not None:
        rows.append(("Panel assurance", line.assurance.text))
    rows.append(("Target", line.target_text))
    rows.append(("Latest update", latest_text(line.latest)))
    if line.action_lines:
        rows.append(("Actions", line.actions_summary))
    if line.evidence:
        rows.append(("Evidence of impact", line.evidence))
    if line.days_overdue:
        rows.append(("Overdue", days_overdue(line.days_overdue)))
    return rows


def action_row(action: ActionLine) -> tuple[str, ...]:
    overdue = f" ({days_overdue(action.days_overdue)})" if action.days_overdue else ""
    return (f"{action.number}. {action.text}", action.owner or "—", action.status.value,
            action.rag.value if action.rag else "not rated", action.target.text + overdue,
            latest_text(action.latest))
