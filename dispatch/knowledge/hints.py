"""Hints on the technician's route (KB-4): each visit carries the top entries for its product
model and fault, for a whole day of visits in three queries whatever their number.

One ranking query serves every visit: the wanted terms of all visits go in as a VALUES table
(visit, term), are joined to the postings, scored per visit and entry, and cut to the best few
per visit with a window function. Entries for the visit's model come first; the fault's words
rank the rest, as a search for the fault would (same terms, synonyms and weights).
"""

from __future__ import annotations

from sqlalchemy import Integer, String, case, column, func, select, values
from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.intake.models import ServiceRequest
from dispatch.knowledge import access, rules
from dispatch.knowledge.models import KbEntry, KbTerm, KbVersion, KbVocabulary
from dispatch.visits.models import Visit

HINTS_PER_VISIT = 3


def _wanted_terms(terms: list[str], known: set[str]) -> tuple[list[str], int]:
    """Return a visit's search terms with the characters of unknown Chinese words, and the least
    score an entry needs (as `search._expanded`, without the typo look-up)."""
    extra = [c for t in terms if t not in known and rules.is_chinese(t) for c in t]
    least = 1 if (set(terms) & known) or not any(rules.is_chinese(t) for t in terms) else 2
    return list(dict.fromkeys(terms + extra)), least


def hints_for_visits(
    session: Session, *, actor: Actor, visit_ids: list[int], cut, limit: int = HINTS_PER_VISIT
) -> dict[int, list[dict]]:
    """Return, per visit id, the best `limit` published, unexpired entries the actor may see
    for the visit's product model and fault (brief rows, best first)."""
    if not visit_ids:
        return {}
    faults = session.execute(
        select(Visit.id, ServiceRequest.product_model, ServiceRequest.fault_description)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .where(Visit.id.in_(visit_ids))
    ).all()
    found = hints_for_faults(session, actor=actor, faults=faults, cut=cut, limit=limit)
    return {visit_id: found.get(visit_id, []) for visit_id in visit_ids}


def hints_for_faults(
    session: Session, *, actor: Actor, faults, cut, limit: int = HINTS_PER_VISIT
) -> dict[int, list[dict]]:
    """Return, per key of `faults` [(key, product model, fault description)], the best
    `limit` entries (brief rows), in two queries whatever the number of faults."""
    asked = {
        visit_id: rules.with_synonyms(rules.query_terms(fault or "", cut)) if fault else []
        for visit_id, _model, fault in faults
    }
    every = sorted({t for terms in asked.values() for t in terms})
    known = (
        set(session.scalars(select(KbVocabulary.term).where(KbVocabulary.term.in_(every))))
        if every
        else set()
    )
    rows = []
    for visit_id, model, _fault in faults:
        terms, least = _wanted_terms(asked[visit_id], known)
        least = least if terms else 0  # no fault words: the model's entries alone
        rows += [(visit_id, term, 0, least) for term in terms]
        if model and model.strip():
            rows.append((visit_id, rules.facet("model", model), 1, least))
    if not rows:
        return {}
    wanted = (
        values(
            column("visit_id", Integer),
            column("term", String),
            column("on_model", Integer),
            column("least", Integer),
            name="wanted",
        )
        .data(rows)
        .cte("wanted")
    )
    text_score = func.sum(case((wanted.c.on_model == 0, KbTerm.weight + 1), else_=0))
    scored = (
        select(
            wanted.c.visit_id,
            KbTerm.entry_id,
            text_score.label("score"),
            func.max(wanted.c.on_model).label("on_model"),
        )
        .join(KbTerm, KbTerm.term == wanted.c.term)
        .group_by(wanted.c.visit_id, KbTerm.entry_id)
        .having(text_score >= func.max(wanted.c.least))
        .subquery()
    )
    ranked = (
        select(
            scored.c.visit_id,
            KbEntry.id.label("entry_id"),
            func.row_number()
            .over(
                partition_by=scored.c.visit_id,
                order_by=(scored.c.on_model.desc(), scored.c.score.desc(), KbEntry.id.desc()),
            )
            .label("rank"),
        )
        .join(KbEntry, KbEntry.id == scored.c.entry_id)
        .where(access.visible(actor))
        .subquery()
    )
    found = session.execute(
        select(ranked.c.visit_id, KbEntry, KbVersion.title)
        .select_from(ranked)
        .join(KbEntry, KbEntry.id == ranked.c.entry_id)
        .join(KbVersion, KbVersion.id == KbEntry.published_version_id)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.visit_id, ranked.c.rank)
    ).all()
    hints: dict[int, list[dict]] = {}
    for visit_id, entry, title in found:
        hints.setdefault(visit_id, []).append(
            {
                "id": entry.id,
                "number": entry.number,
                "title": title,
                "content_type": entry.content_type,
                "problem_type": entry.problem_type,
                "visibility": entry.visibility,
                "status": entry.status,
                "next_review_at": entry.next_review_at,
            }
        )
    return hints


class VisitWithHints:
    """A visit as the route lists it: the visit's own fields, and its knowledge hints."""

    def __init__(self, visit: Visit, knowledge_hints: list[dict]):
        self._visit = visit
        self.knowledge_hints = knowledge_hints

    def __getattr__(self, name: str):
        return getattr(self._visit, name)


def with_hints(session: Session, *, actor: Actor, visits: list[Visit], cut) -> list:
    """Return the visits, each carrying its top hints (KB-4), in three queries for all."""
    hints = hints_for_visits(session, actor=actor, visit_ids=[v.id for v in visits], cut=cut)
    return [VisitWithHints(v, hints.get(v.id, [])) for v in visits]
