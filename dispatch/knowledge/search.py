"""Search (KB-4, KB-5): jieba-segmented terms, ranked by weight.

Both databases index the same terms (`rules.index_terms`: jieba words, English words and their
stems, error codes, every Chinese character, the product's names). PostgreSQL keeps them as
postings in `kb_terms` (a B-tree on term, weight, entry): every query term, one character
included, is an index range, never a scan of the entries; each term contributes its best
postings only, so a common word ranks a bounded candidate set; pg_trgm over the vocabulary
finds near spellings (typos). SQLite, the zero-configuration default, searches an FTS5 table
over the same terms (`dispatch/knowledge/fts.py`), ranked by bm25. Model and tag filters are
facet postings in `kb_terms` on both.
"""

from __future__ import annotations

from sqlalchemy import String, column, func, select, true, values
from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.knowledge import access, fts, rules
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
POSTINGS_PER_TERM = 1000  # a term's best postings that take part in ranking (PostgreSQL)


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


def _scores(terms: list[str], least: int, candidates: int | None):
    """Return a subquery (entry_id, score; higher is better) over the postings of `terms`.

    With a candidate limit, each term brings only its best POSTINGS_PER_TERM postings (read in
    index order, weight first), so a word found in half the entries costs a bounded aggregate;
    without one (filters left too few results) every posting counts."""
    if candidates:
        asked = values(column("term", String), name="asked").data([(t,) for t in terms])
        best = (
            select(KbTerm.entry_id, KbTerm.weight)
            .where(KbTerm.term == asked.c.term)
            .order_by(KbTerm.term, KbTerm.weight.desc(), KbTerm.entry_id.desc())
            .limit(POSTINGS_PER_TERM)
            .lateral("best")
        )
        total = func.sum(best.c.weight + 1).label("score")
        return (
            select(best.c.entry_id, total)
            .select_from(asked)
            .join(best, true())
            .group_by(best.c.entry_id)
            .having(total >= least)
            .order_by(total.desc(), best.c.entry_id.desc())
            .limit(candidates)
            .subquery()
        )
    total = func.sum(KbTerm.weight + 1).label("score")
    return (
        select(KbTerm.entry_id, total)
        .where(KbTerm.term.in_(terms))
        .group_by(KbTerm.entry_id)
        .having(total >= least)
        .subquery()
    )


def _ranked(session, actor, terms, least, filters, limit, candidates) -> list[KbEntry]:
    """Return the visible entries among the best `candidates` matches (all when None), best
    first."""
    if session.get_bind().dialect.name == "sqlite":
        score = fts.candidates(terms, least, candidates)
        best_first = (score.c.score.asc(), KbEntry.id.desc())  # bm25: lower is better
    else:
        score = _scores(terms, least, candidates)
        best_first = (score.c.score.desc(), KbEntry.id.desc())
    query = (
        select(KbEntry)
        .join(score, score.c.entry_id == KbEntry.id)
        .where(access.visible(actor), *filters)
        .order_by(*best_first)
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
