"""Demo knowledge: bilingual entries written for this project, each with the labelled queries
that should find it (data/entries.tsv; bench/knowledge.py measures recall and MRR on them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.actors import SYSTEM, Actor
from dispatch.knowledge import service
from dispatch.knowledge.models import KbCategory, KbPackage, KbTopic
from dispatch.users import service as users
from dispatch.users.models import User

DATA = Path(__file__).parent / "data" / "entries.tsv"
FAMILIES = {
    "aircon": "家电 Appliances",
    "washer": "家电 Appliances",
    "fridge": "家电 Appliances",
    "heater": "家电 Appliances",
    "dishwasher": "家电 Appliances",
    "tv": "电子 Electronics",
    "laptop": "电子 Electronics",
    "phone": "电子 Electronics",
    "sofa": "家具 Furniture",
    "bed": "家具 Furniture",
    "wardrobe": "家具 Furniture",
    "table": "家具 Furniture",
    "chair": "家具 Furniture",
    "kitchen": "厨电 Kitchen",
    "smart": "智能家居 Smart home",
    "policy": "服务 Service",
    "workflow": "服务 Service",
}
PEOPLE = (
    ("kbauthor", "kb_author", "知识库作者"),
    ("kbreviewer", "kb_reviewer", "知识库审核"),
    ("kbadmin", "kb_admin", "知识库管理员"),
)


@dataclass(frozen=True)
class DemoEntry:
    product_category: str
    model: str
    title: str
    problem: str
    cause: str
    steps: tuple[str, ...]
    tags: tuple[str, ...]
    queries: tuple[str, ...]

    @property
    def content_type(self) -> str:
        if self.product_category == "policy":
            return "service_policy"
        if self.product_category == "workflow":
            return "workflow"
        return "troubleshooting" if self.cause else "operation_guide"


def demo_entries(path: Path = DATA) -> list[DemoEntry]:
    """Read the demo entries and their labelled queries."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        category, model, title, problem, cause, steps, tags, queries = line.split("\t")
        rows.append(
            DemoEntry(
                product_category=category,
                model=model,
                title=title,
                problem=problem,
                cause="" if cause == "—" else cause,
                steps=tuple(s.strip() for s in steps.split(";") if s.strip()),
                tags=tuple(t.strip() for t in tags.split(",") if t.strip()),
                queries=tuple(q.strip() for q in queries.split("/") if q.strip()),
            )
        )
    return rows


def _user(session: Session, username: str, role: str, full_name: str) -> Actor:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        user = users.create_user(
            session=session,
            actor=SYSTEM,
            username=username,
            password="demo-password",
            full_name=full_name,
            role=role,
        )
    return Actor(kind="user", id=user.id, role=role, label=username)


def _topic(session: Session, admin: Actor, family: str, category: str, name: str) -> int:
    def node(kind, parent_column=None, parent_id=None, node_name=""):
        query = select(kind).where(kind.name == node_name)
        if parent_column:
            query = query.where(getattr(kind, parent_column) == parent_id)
        found = session.scalars(query).first()
        return found or service.add_node(
            session, actor=admin, kind=kind, name=node_name, parent_id=parent_id
        )

    top = node(KbCategory, node_name=family)
    package = node(KbPackage, "category_id", top.id, category)
    return node(KbTopic, "package_id", package.id, name).id


def load(session: Session, *, cut) -> int:
    """Publish every demo entry through the real review (author submits, reviewer approves)."""
    author, reviewer, admin = (_user(session, *person) for person in PEOPLE)
    count = 0
    for row in demo_entries():
        topic = _topic(
            session,
            admin,
            FAMILIES[row.product_category],
            row.product_category,
            "故障排除 Troubleshooting" if row.cause else "指南与政策 Guides",
        )
        entry = service.create_entry(
            session,
            actor=author,
            topic_id=topic,
            text={
                "title": row.title,
                "problem": row.problem,
                "cause": row.cause,
                "solution_steps": list(row.steps),
                "product_models": [] if row.model == "ALL" else [row.model],
                "tags": list(row.tags),
            },
            content_type=row.content_type,
            business_category="after_sales",
            product_category=row.product_category,
            problem_type="fault" if row.cause else "guide",
            solution_method="repair" if row.cause else "advice",
            visibility="internal" if row.cause else "customer",
        )
        service.submit(session, actor=author, entry_id=entry.id)
        service.decide(session, actor=reviewer, entry_id=entry.id, approve=True, cut=cut)
        count += 1
    return count
