"""Knowledge search benchmark (issue 13): quality on the labelled queries, speed at 100,000
entries, and the plan of short queries.

    nice -n 10 .venv/bin/python -m bench.knowledge quality          # SQLite file, zero-config
    nice -n 10 .venv/bin/python -m bench.knowledge quality --pg      # same, on PostgreSQL
    nice -n 10 .venv/bin/python -m bench.knowledge scale             # 100,000 entries, PostgreSQL

`quality` publishes the demo entries (dispatch/knowledge/data/entries.tsv) through the real
review and runs every labelled query through `dispatch.knowledge.search.search`; a query counts
as found when its entry is in the top 5 (recall@5); MRR uses the rank of that entry (0 past 10).
`scale` adds copies of the demo entries under new model numbers until 100,000 are published
(terms bulk-copied, as `reindex` would write them), then times each labelled query (p50/p95)
after one untimed pass that warms the caches, and prints EXPLAIN ANALYZE of 1–2 character
queries. Writes bench/results/knowledge-*.txt.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from sqlalchemy import make_url, select
from sqlalchemy.orm import Session

from dispatch import schema
from dispatch.actors import Actor
from dispatch.db import db
from dispatch.knowledge import rules, seed
from dispatch.knowledge.models import KbEntry, KbVersion
from dispatch.knowledge.search import search
from dispatch.knowledge.segment import Segmenter

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/dispatch_bench_kb"
RESULTS = Path(__file__).parent / "results"
READER = Actor(kind="system", role="dispatcher", label="bench")
SHORT_QUERIES = ("冷", "制冷", "漏水", "E4", "噪音")


def _fresh_database(pg: bool) -> str:
    if not pg:
        return f"sqlite:///{tempfile.mkdtemp()}/kb.sqlite"
    url = make_url(PG)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{url.database}"')
    return PG


def _published(url: str, cut) -> dict[str, int]:
    """Migrate, publish the demo entries; return each entry title's id."""
    db.configure(url)
    schema.upgrade(url)
    with Session(db.engine) as session:
        seed.load(session, cut=cut)
        session.commit()
        rows = session.execute(
            select(KbVersion.title, KbEntry.id).join(
                KbEntry, KbEntry.published_version_id == KbVersion.id
            )
        ).all()
    return {title: entry_id for title, entry_id in rows}


def _rank(found: list[int], wanted: int) -> int | None:
    return found.index(wanted) + 1 if wanted in found else None


def quality(pg: bool) -> str:
    cut = Segmenter().cut
    url = _fresh_database(pg)
    ids = _published(url, cut)
    ranks, misses = [], []
    with Session(db.engine) as session:
        for row in seed.demo_entries():
            for query in row.queries:
                found = [e.id for e in search(session, actor=READER, cut=cut, q=query, limit=10)]
                rank = _rank(found, ids[row.title])
                ranks.append(rank)
                if rank is None or rank > 5:
                    misses.append(f"  {query!r} → {row.title} (rank {rank})")
        session.rollback()
    recall = sum(1 for r in ranks if r and r <= 5) / len(ranks)
    mrr = sum(1 / r for r in ranks if r) / len(ranks)
    backend = "PostgreSQL" if pg else "SQLite"
    top1 = sum(r == 1 for r in ranks) / len(ranks)
    lines = [
        f"knowledge search quality on {backend}: {len(ids)} entries, {len(ranks)} labelled queries",
        f"recall@5 {recall:.1%}   MRR@10 {mrr:.3f}   top-1 {top1:.1%}",
        f"misses (not in the top 5): {len(misses)}",
        *misses,
    ]
    return "\n".join(lines)


def _copy_entries(url: str, cut, total: int) -> None:
    """Add published copies of the demo entries, under new model numbers, up to `total`."""
    raw = make_url(url).set(drivername="postgresql").render_as_string(False)
    with Session(db.engine) as session:
        template = session.execute(
            select(KbEntry, KbVersion).join(KbVersion, KbEntry.published_version_id == KbVersion.id)
        ).all()
    with psycopg.connect(raw) as conn:
        start = conn.execute("SELECT max(id) FROM kb_entries").fetchone()[0] + 1
        version_start = conn.execute("SELECT max(id) FROM kb_versions").fetchone()[0] + 1
        entries, versions, terms = (io.StringIO() for _ in range(3))
        term_cache = {}
        for offset in range(total - len(template)):
            entry, version = template[offset % len(template)]
            new_id, version_id = start + offset, version_start + offset
            model = f"{(version.product_models or ['GEN'])[0]}-{offset}"
            entries.write(
                f"{new_id}\tKBX{new_id}\t{entry.topic_id}\tpublished\t{entry.content_type}\t"
                f"after_sales\t{entry.product_category}\t{entry.problem_type}\t"
                f"{entry.solution_method}\tmanual\t{entry.visibility}\t2027-06-01 00:00:00+00\t"
                f"{entry.author_id}\t2026-12-01 00:00:00+00\n"
            )
            versions.write(
                f"{version_id}\t{new_id}\t1\tapproved\t{version.title} {model}\t\t\t[]\t[]\t[]\t"
                f"[]\t{entry.author_id}\t2026-12-01 00:00:00+00\n"
            )
            if entry.id not in term_cache:
                body = " ".join([version.problem, version.cause, *version.solution_steps])
                term_cache[entry.id] = rules.index_terms(
                    version.title, body, cut, entry.product_category
                )
            for term, weight in term_cache[entry.id].items():
                terms.write(f"{new_id}\t{term}\t{weight}\n")
            terms.write(f"{new_id}\t{rules.facet('model', model)}\t0\n")
        with conn.cursor() as cur:
            for table, columns, data in (
                (
                    "kb_entries",
                    "id, number, topic_id, status, content_type, business_category, "
                    "product_category, problem_type, solution_method, source_kind, visibility, "
                    "next_review_at, author_id, created_at",
                    entries,
                ),
                (
                    "kb_versions",
                    "id, entry_id, number, status, title, problem, cause, solution_steps, "
                    "product_models, tags, media, author_id, created_at",
                    versions,
                ),
                ("kb_terms", "entry_id, term, weight", terms),
            ):
                with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write(data.getvalue())
            cur.execute(
                "UPDATE kb_entries e SET published_version_id = v.id FROM kb_versions v "
                "WHERE v.entry_id = e.id AND e.published_version_id IS NULL"
            )
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE kb_entries")
        conn.execute("VACUUM ANALYZE kb_terms")
        conn.execute("VACUUM ANALYZE kb_versions")
        conn.execute("VACUUM ANALYZE kb_vocabulary")
        conn.execute("CHECKPOINT")  # the load's writes reach disk before anything is timed


def scale(total: int) -> str:
    cut = Segmenter().cut
    url = _fresh_database(True)
    _published(url, cut)
    began = time.perf_counter()
    _copy_entries(url, cut, total)
    loaded = time.perf_counter() - began
    queries = [q for row in seed.demo_entries() for q in row.queries]
    timings = []
    with Session(db.engine) as session:
        for query in queries:  # warm the caches: one untimed pass
            search(session, actor=READER, cut=cut, q=query, limit=10)
        for query in queries:
            t0 = time.perf_counter()
            search(session, actor=READER, cut=cut, q=query, limit=10)
            timings.append((time.perf_counter() - t0) * 1000)
        session.rollback()
        plans = []
        for query in SHORT_QUERIES:
            terms = rules.query_terms(query, cut)
            compiled = _search_sql(session, query, cut)
            plan = (
                session.connection().exec_driver_sql("EXPLAIN ANALYZE " + compiled).scalars().all()
            )
            seq = [line for line in plan if "Seq Scan" in line]
            plans.append(f"-- {query!r} terms={terms} seq scans: {len(seq)}\n" + "\n".join(plan))
    count = len(timings)
    timings.sort()
    lines = [
        f"knowledge search at scale on PostgreSQL: {total} published entries "
        f"(copies loaded in {loaded:.0f} s), {count} labelled queries, limit 10",
        f"p50 {statistics.median(timings):.1f} ms   p95 {timings[int(count * 0.95) - 1]:.1f} ms   "
        f"max {timings[-1]:.1f} ms (search() call, logging included)",
        "",
        *plans,
    ]
    return "\n".join(lines)


def _search_sql(session: Session, query: str, cut) -> str:
    """Return the SQL text `search` runs for `query` (captured from the engine)."""
    captured = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if "kb_terms" in statement and "GROUP BY" in statement:
            captured.append((statement, parameters))

    from sqlalchemy import event

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        search(session, actor=READER, cut=cut, q=query, limit=10)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    statement, parameters = captured[-1]
    raw = session.connection().connection.dbapi_connection
    return psycopg.ClientCursor(raw).mogrify(statement, parameters)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("quality", "scale"))
    parser.add_argument("--pg", action="store_true", help="quality on PostgreSQL")
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args(argv)
    if args.what == "quality":
        text = quality(args.pg)
        name = f"knowledge-quality-{'pg' if args.pg else 'sqlite'}.txt"
    else:
        text = scale(args.entries)
        name = "knowledge-scale.txt"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / name).write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
