"""The shape of a golden file: what a careful person says a tracker holds, written by hand next
to each layout (tests/trackers/build_trackers.py), and the same projection of the database after
an import, so the two can be compared."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from scr_desk.services.dump import dump_records

Updates = list[list[str]]  # [[period, first line of the narrative], …] oldest first


def action(number: str, text: str, *, status: str = "In progress", rag: str | None = None,
           target: str | None = None, note: str = "", owner: str = "", agency: str | None = None,
           updates: Updates = ()) -> dict[str, Any]:  # type: ignore[assignment]
    return {"number": number, "text": text, "status": status, "rag": rag, "target_date": target,
            "target_note": note, "owner_name": owner, "owner_agency": agency, "updates": [list(u) for u in updates]}


def rec(number: str, text: str, *, status: str = "In progress", rag: str | None = None, target: str | None = None,
        note: str = "", revised: str | None = None, scope: str = "Local", lead: str | None = None,
        updates: Updates = (), actions: list[dict[str, Any]] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    return {"number": number, "text": text, "status": status, "rag": rag, "target_date": target,
            "target_note": note, "revised_target_date": revised, "scope": scope, "lead_agency": lead,
            "updates": [list(u) for u in updates], "actions": list(actions)}


def review(name: str, review_type: str, recs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": name, "type": review_type, "recommendations": recs}


def golden(reviews: list[dict[str, Any]], agencies: list[str]) -> dict[str, Any]:
    return {"reviews": reviews, "agencies": sorted(agencies)}


def _updates(found: list[dict[str, Any]]) -> Updates:
    # oldest first (the dump's order); two updates of one day in the same period sorted by their words
    ordered = sorted(found, key=lambda u: (u["period"], u["as_at"], (u["narrative"] or "").split("\n")[0]))
    return [[u["period"], (u["narrative"] or "").split("\n")[0]] for u in ordered]


def projection(sessions: sessionmaker[Session]) -> dict[str, Any]:
    """The database as a golden file describes it (a stable projection of dump_records)."""
    dump = dump_records(sessions)
    names = {a["uid"]: a["name"] for a in dump["agencies"]}
    reviews = []
    for found in dump["reviews"]:
        recs = []
        for r in found["recommendations"]:
            actions = [action(a["number"], a["text"], status=a["status"], rag=a["rag"], target=a["target_date"],
                              note=a["target_note"], owner=a["owner_name"], agency=names.get(a["owner_agency"]),
                              updates=_updates(a["updates"])) for a in r["actions"]]
            recs.append(rec(r["number"], r["text"], status=r["status"], rag=r["rag"], target=r["target_date"],
                            note=r["target_note"], revised=r["revised_target_date"], scope=r["scope"],
                            lead=names.get(r["lead_agency"]), updates=_updates(r["updates"]), actions=actions))
        reviews.append(review(found["name"], found["review_type"], recs))
    return golden(reviews, list(names.values()))
