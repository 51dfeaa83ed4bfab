"""Authoring: the tree (KB-1), entries and versions through review (KB-2, KB-6, KB-7, KB-13)."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.errors import NotFound, PermissionDenied, RuleViolation
from dispatch.knowledge import access, fts, rules
from dispatch.knowledge.models import (
    KbCategory,
    KbEntry,
    KbPackage,
    KbTerm,
    KbTopic,
    KbVersion,
    KbVocabulary,
)
from dispatch.knowledge.rules import EntryStatus, VersionStatus
from dispatch.numbering import next_number

TEXT_FIELDS = ("title", "problem", "cause", "solution_steps", "product_models", "tags", "media")
ENTRY_FIELDS = (
    "content_type",
    "business_category",
    "product_category",
    "problem_type",
    "solution_method",
    "visibility",
    "valid_until",
    "source_document",
)
PARENTS = {KbPackage: (KbCategory, "category_id"), KbTopic: (KbPackage, "package_id")}


def add_node(session: Session, *, actor: Actor, kind: type, name: str, parent_id=None):
    """Add a category, package or topic; a package or topic needs an existing parent (KB-1)."""
    access.require(actor, access.ADMINISTRATORS, "change the knowledge tree")
    fields = {"name": name}
    if kind in PARENTS:
        parent, column = PARENTS[kind]
        if parent_id is None or session.get(parent, parent_id) is None:
            raise RuleViolation(
                f"A {kind.__tablename__[3:-1]} needs an existing parent",
                error_code="kb_orphan",
                details={"parent_id": [f"no {parent.__tablename__[3:-1]} {parent_id}"]},
            )
        fields[column] = parent_id
    node = kind(**fields)
    entity = kind.__tablename__[:-1]
    return audit.add_created(
        session, actor=actor, obj=node, action=f"{entity}.created", entity=entity, after=fields
    )


def tree(session: Session) -> list[dict]:
    """Return the whole tree, category → package → topic, in three queries."""
    categories = session.scalars(select(KbCategory).order_by(KbCategory.name)).all()
    packages = session.scalars(select(KbPackage).order_by(KbPackage.name)).all()
    topics = session.scalars(select(KbTopic).order_by(KbTopic.name)).all()
    return [
        {
            "id": c.id,
            "name": c.name,
            "packages": [
                {
                    "id": p.id,
                    "name": p.name,
                    "topics": [
                        {"id": t.id, "name": t.name} for t in topics if t.package_id == p.id
                    ],
                }
                for p in packages
                if p.category_id == c.id
            ],
        }
        for c in categories
    ]


def _checked_text(content_type: str, text: dict) -> dict:
    problems = rules.template_problems(content_type, text)
    if problems:
        raise RuleViolation(
            f"The text does not fit the {content_type} template",
            error_code="kb_template",
            details=problems,
        )
    return {
        name: text.get(name) or ([] if name in rules.LIST_FIELDS else "") for name in TEXT_FIELDS
    }


def create_entry(
    session: Session, *, actor: Actor, topic_id: int, text: dict, source_kind="manual", **fields
) -> KbEntry:
    """Create an entry as a draft with its first version (KB-2, KB-13)."""
    access.require(actor, access.AUTHORS, "write knowledge entries")
    if session.get(KbTopic, topic_id) is None:
        raise RuleViolation(
            "An entry needs an existing topic",
            error_code="kb_orphan",
            details={"topic_id": [f"no topic {topic_id}"]},
        )
    checked = _checked_text(fields["content_type"], text)
    if source_kind == rules.SourceKind.MANUAL and fields.get("source_document"):
        source_kind = rules.SourceKind.DOCUMENT  # written from a manual, bulletin or policy
    now = utcnow()
    entry = KbEntry(
        number=next_number(session, "KB", now, "Asia/Shanghai"),
        topic_id=topic_id,
        status=EntryStatus.DRAFT,
        source_kind=source_kind,
        author_id=actor.id,
        created_at=now,
        **{name: fields.get(name) for name in (*ENTRY_FIELDS, "source_visit_id")},
    )
    audit.add_created(
        session,
        actor=actor,
        obj=entry,
        action="kb_entry.created",
        entity="kb_entry",
        after=entry.snapshot(),
    )
    session.add(KbVersion(entry_id=entry.id, author_id=actor.id, **checked))
    session.flush()
    return entry


def get_entry(session: Session, *, actor: Actor, entry_id: int) -> KbEntry:
    """Load an entry the actor may see: published ones for all readers, others for their
    author, reviewers and administrators."""
    entry = session.get(KbEntry, entry_id)
    if entry is None:
        raise NotFound("No such knowledge entry", details={"entry_id": entry_id})
    if access.may_read_unpublished(actor, entry):
        return entry
    shown = session.scalar(select(KbEntry.id).where(KbEntry.id == entry_id, access.visible(actor)))
    if shown is None:
        raise NotFound("No such knowledge entry", details={"entry_id": entry_id})
    return entry


def published_version(session: Session, entry: KbEntry) -> KbVersion | None:
    if entry.published_version_id is None:
        return None
    return session.get(KbVersion, entry.published_version_id)


def working_version(session: Session, entry: KbEntry) -> KbVersion | None:
    """Return the entry's version that is not approved yet (at most one), if any."""
    return session.scalars(
        select(KbVersion).where(
            KbVersion.entry_id == entry.id, KbVersion.status != VersionStatus.APPROVED
        )
    ).first()


def _own_version(session: Session, actor: Actor, entry_id: int) -> tuple[KbEntry, KbVersion]:
    entry = get_entry(session, actor=actor, entry_id=entry_id)
    version = working_version(session, entry)
    if version is None:
        raise NotFound("The entry has no text in draft or review", details={"entry_id": entry_id})
    if version.author_id != actor.id and not actor.has_role(*access.ADMINISTRATORS):
        raise PermissionDenied("Only its author may change or submit this text")
    return entry, version


def propose(session: Session, *, actor: Actor, entry_id: int, text: dict) -> KbVersion:
    """Write the entry's next text: edit the draft, or start a change of a published entry.

    The published text stays as it is until the change is approved (KB-6)."""
    access.require(actor, access.AUTHORS, "write knowledge entries")
    entry = get_entry(session, actor=actor, entry_id=entry_id)
    if entry.status == EntryStatus.RETIRED:
        raise RuleViolation("A retired entry cannot change", error_code="kb_retired")
    checked = _checked_text(entry.content_type, text)
    version = working_version(session, entry)
    if version is None:
        version = KbVersion(entry_id=entry.id, author_id=actor.id, **checked)
        return audit.add_created(
            session,
            actor=actor,
            obj=version,
            action="kb_version.created",
            entity="kb_version",
            after={"entry_id": entry.id},
        )
    if version.status != VersionStatus.DRAFT or version.author_id != actor.id:
        raise RuleViolation(
            "Another text of this entry is already in draft or review",
            error_code="kb_change_pending",
            details={"version_id": version.id},
        )
    with audit.audited(session, actor, version, "kb_version.edited"):
        for name, value in checked.items():
            setattr(version, name, value)
    return version


def submit(session: Session, *, actor: Actor, entry_id: int) -> KbEntry:
    """Send the entry's working text to review."""
    entry, version = _own_version(session, actor, entry_id)
    with audit.audited(session, actor, entry, "kb_entry.submitted"):
        version.submit(at=utcnow())
        entry.submit()
    return entry


def decide(
    session: Session, *, actor: Actor, entry_id: int, approve: bool, note="", cut=None
) -> KbEntry:
    """Approve (publish as a new version) or reject the text under review (KB-6, KB-7)."""
    access.require(actor, access.REVIEWERS, "review knowledge entries")
    entry = get_entry(session, actor=actor, entry_id=entry_id)
    version = working_version(session, entry)
    if version is None or version.status != VersionStatus.IN_REVIEW:
        raise RuleViolation("No text of this entry is in review", error_code="kb_not_in_review")
    if not rules.can_approve(reviewer_id=actor.id, author_id=version.author_id):
        raise PermissionDenied("Nobody reviews their own submission", error_code="own_submission")
    now = utcnow()
    with audit.audited(
        session, actor, entry, "kb_entry.approved" if approve else "kb_entry.rejected"
    ):
        if not approve:
            version.reject(reviewer_id=actor.id, note=note, at=now)
            entry.reject()
            return entry
        last = session.scalar(
            select(func.max(KbVersion.number)).where(KbVersion.entry_id == entry.id)
        )
        version.approve(reviewer_id=actor.id, number=(last or 0) + 1, at=now)
        session.flush()
        entry.publish(version, at=now)
        reindex(session, entry, version, cut)
    return entry


def retire(session: Session, *, actor: Actor, entry_id: int) -> KbEntry:
    """Take an entry out of use for good; it stays readable to reviewers."""
    access.require(actor, access.ADMINISTRATORS, "retire knowledge entries")
    entry = get_entry(session, actor=actor, entry_id=entry_id)
    with audit.audited(session, actor, entry, "kb_entry.retired"):
        entry.retire()
        session.execute(delete(KbTerm).where(KbTerm.entry_id == entry.id))
        if session.get_bind().dialect.name == "sqlite":
            fts.remove(session, entry.id)
    return entry


def reindex(session: Session, entry: KbEntry, version: KbVersion, cut=None) -> None:
    """Replace the entry's search terms by those of its published text."""
    from dispatch.knowledge.segment import app_segmenter

    cut = cut or app_segmenter().cut
    body = " ".join([version.problem, version.cause, *version.solution_steps])
    terms = rules.index_terms(version.title, body, cut, entry.product_category)
    terms |= {rules.facet("model", m): 0 for m in version.product_models}
    terms |= {rules.facet("tag", t): 0 for t in version.tags}
    session.execute(delete(KbTerm).where(KbTerm.entry_id == entry.id))
    session.add_all(KbTerm(entry_id=entry.id, term=t, weight=w) for t, w in terms.items() if t)
    if session.get_bind().dialect.name == "sqlite":
        fts.write(session, entry.id, terms)  # the zero-configuration search index
    # the vocabulary holds words, not facets: typo look-ups never wade through model numbers
    words = [t for t in terms if t and not rules.is_facet(t)]
    known = set(session.scalars(select(KbVocabulary.term).where(KbVocabulary.term.in_(words))))
    session.add_all(KbVocabulary(term=t) for t in words if t not in known)
    session.flush()


def versions(session: Session, *, actor: Actor, entry_id: int, after: int = 0, limit: int = 20):
    """List the entry's approved versions, oldest first, keyset by number (KB-7)."""
    entry = get_entry(session, actor=actor, entry_id=entry_id)
    return session.scalars(
        select(KbVersion)
        .where(
            KbVersion.entry_id == entry.id,
            KbVersion.status == VersionStatus.APPROVED,
            KbVersion.number > after,
        )
        .order_by(KbVersion.number)
        .limit(limit)
    ).all()


def version(session: Session, *, actor: Actor, entry_id: int, number: int) -> KbVersion:
    """Return one approved version of an entry (KB-7)."""
    entry = get_entry(session, actor=actor, entry_id=entry_id)
    found = session.scalar(
        select(KbVersion).where(KbVersion.entry_id == entry.id, KbVersion.number == number)
    )
    if found is None:
        raise NotFound("No such version", details={"number": number})
    return found
