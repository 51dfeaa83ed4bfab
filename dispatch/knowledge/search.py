"""Search (KB-4, KB-5): jieba terms looked up in an index table, ranked by weight.

Why a term table and not tsvector + FTS5: one query serves PostgreSQL and the SQLite default
alike; every term, Chinese characters included, is a B-tree lookup, so 1–2 character queries
never scan the entries; PostgreSQL adds pg_trgm over the same terms for typos.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.knowledge import access, rules
from dispatch.knowledge.models import (
    KbEntry,
    KbPackage,
    KbTerm,
    KbTopic,
    KbUsageEvent,
    KbVocabulary,
)

FUZZY_PER_TERM = 3
CANDIDATES_PER_RESULT = 5


def _expanded(session: Session, terms: list[str]) -> tuple[list[str], int]:
    """Add stand-ins for query words no entry holds: a Chinese word's characters (partial
    match), and on PostgreSQL the nearest indexed spellings of other words (typos, pg_trgm).

    Return the terms and the least score an entry needs: when no query word is known, one
    shared character is chance ("计算机" and "洗衣机"), so two are asked for."""
    known = set(session.scalars(select(KbVocabulary.term).where(KbVocabulary.term.in_(terms))))
    fuzzy = session.get_bind().dialect.name == "postgresql"
    extra = []
    for term in terms:
        if term in known:
            continue
        if rules.is_chinese(term):
            extra += list(term)
        elif fuzzy and len(term) >= 3:
            extra += session.scalars(
                select(KbVocabulary.term)
                .where(KbVocabulary.term.op("%")(term))
                .order_by(func.similarity(KbVocabulary.term, term).desc())
                .limit(FUZZY_PER_TERM)
            ).all()
    least = 1 if known or not any(rules.is_chinese(t) for t in terms) else 2
    return list(dict.fromkeys(terms + extra)), least


def _has_term(term: str):
    return (
        select(KbTerm.entry_id).where(KbTerm.term == term, KbTerm.entry_id == KbEntry.id).exists()
    )


def _filters(model, tag, problem_type, product_category, category_id) -> list:
    conditions = []
    if model:
        conditions.append(_has_term(rules.facet("model", model)))
    if tag:
        conditions.append(_has_term(rules.facet("tag", tag)))
    if problem_type:
        conditions.append(KbEntry.problem_type == problem_type)
    if product_category:
        conditions.append(KbEntry.product_category == product_category)
    if category_id:
        in_category = select(KbTopic.id).join(KbPackage).where(KbPackage.category_id == category_id)
        conditions.append(KbEntry.topic_id.in_(in_category))
    return conditions


def _ranked(session, actor, terms, least, filters, limit, candidates) -> list[KbEntry]:
    """Return entries by summed term weight, best first, among the top `candidates` postings
    (all of them when None)."""
    total = func.sum(KbTerm.weight + 1).label("score")
    score = (
        select(KbTerm.entry_id, total)
        .where(KbTerm.term.in_(terms))
        .group_by(KbTerm.entry_id)
        .having(total >= least)
    )
    if candidates:
        score = score.order_by(total.desc(), KbTerm.entry_id.desc()).limit(candidates)
    score = score.subquery()
    query = (
        select(KbEntry)
        .join(score, score.c.entry_id == KbEntry.id)
        .where(access.visible(actor), *filters)
        .order_by(score.c.score.desc(), KbEntry.id.desc())
    )
    return list(session.scalars(query.limit(limit)))


def search(
    session: Session,
    *,
    actor: Actor,
    cut,
    q: str = "",
    model: str | None = None,
    tag: str | None = None,
    problem_type: str | None = None,
    category_id: int | None = None,
    product_category: str | None = None,
    limit: int = 10,
    log: bool = True,
) -> list[KbEntry]:
    """Return the best published, unexpired entries the actor may see; log the search unless
    it is a suggestion while typing (KB-10 counts searches, not keystrokes)."""
    terms = rules.with_synonyms(rules.query_terms(q, cut)) if q.strip() else []
    terms, least = _expanded(session, terms) if terms else ([], 1)
    filters = _filters(model, tag, problem_type, product_category, category_id)
    if not terms:
        query = select(KbEntry).where(access.visible(actor), *filters)
        found = list(session.scalars(query.order_by(KbEntry.id.desc()).limit(limit)))
    else:
        # Rank the postings first and look at the best candidates only: terms exist for
        # published entries alone, so few candidates fail the checks. When filters leave too
        # few, rank every match instead.
        found = _ranked(session, actor, terms, least, filters, limit, CANDIDATES_PER_RESULT * limit)
        if len(found) < limit:
            found = _ranked(session, actor, terms, least, filters, limit, None)
    if not log:
        return found
    session.add(
        KbUsageEvent(
            kind="search",
            user_id=actor.id if actor.kind == "user" else None,
            query=(q or f"model:{model or ''} tag:{tag or ''}")[:200],
            result_count=len(found),
        )
    )
    session.flush()
    return found


def chinese_index_problem(connection) -> str | None:
    """Return why this database cannot index Chinese for fuzzy search, or None (start-up check).

    pg_trgm extracts no trigrams from Chinese when the database's LC_CTYPE is "C"."""
    if connection.dialect.name != "postgresql":
        return None
    ctype = connection.exec_driver_sql("SELECT current_setting('lc_ctype')").scalar()
    trigrams = connection.exec_driver_sql("SELECT show_trgm('制冷')").scalar()
    if not trigrams:
        return (
            f"This PostgreSQL database (LC_CTYPE={ctype!r}) cannot index Chinese: pg_trgm finds "
            "no trigrams in '制冷'. Create the database with a UTF-8 ctype, e.g. "
            "CREATE DATABASE … LC_CTYPE 'C.UTF-8' TEMPLATE template0."
        )
    return None
