"""The knowledge tree (KB-1), entries and their reviewed versions (KB-2, KB-6, KB-7), search
terms, feedback, usage events and the administrator's queue (KB-9, KB-10)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.knowledge.rules import (
    ENTRY_LIFECYCLE,
    VERSION_LIFECYCLE,
    EntryStatus,
    VersionStatus,
    next_review,
)


class KbCategory(Base):
    __tablename__ = "kb_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class KbPackage(Base):
    __tablename__ = "kb_packages"
    __table_args__ = (UniqueConstraint("category_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("kb_categories.id"))
    name: Mapped[str] = mapped_column(String(120))


class KbTopic(Base):
    __tablename__ = "kb_topics"
    __table_args__ = (UniqueConstraint("package_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("kb_packages.id"))
    name: Mapped[str] = mapped_column(String(120))


class KbEntry(Base):
    """An entry: its classification, state and the version the public sees (if any)."""

    __tablename__ = "kb_entries"
    __table_args__ = (Index("ix_kb_entries_status_review", "status", "next_review_at", "id"),)
    audit_entity = "kb_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("kb_topics.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=EntryStatus.DRAFT)
    content_type: Mapped[str] = mapped_column(String(32))
    business_category: Mapped[str] = mapped_column(String(64))
    product_category: Mapped[str] = mapped_column(String(64))
    problem_type: Mapped[str] = mapped_column(String(64))
    solution_method: Mapped[str] = mapped_column(String(64))
    source_kind: Mapped[str] = mapped_column(String(16))
    source_visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"), index=True)
    source_document: Mapped[str | None] = mapped_column(String(255))
    visibility: Mapped[str] = mapped_column(String(16))
    valid_until: Mapped[datetime | None]
    next_review_at: Mapped[datetime | None]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    published_version_id: Mapped[int | None] = mapped_column(
        ForeignKey(
            "kb_versions.id",
            use_alter=True,
            name="fk_kb_entries_published_version",
            ondelete="SET NULL",  # a cycle with kb_versions.entry_id: either side can go first
        )
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    published: Mapped[KbVersion | None] = relationship(
        foreign_keys=[published_version_id], lazy="raise"
    )

    def snapshot(self) -> dict:
        return {
            "number": self.number,
            "status": self.status,
            "visibility": self.visibility,
            "published_version_id": self.published_version_id,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
        }

    def submit(self) -> None:
        """Send a new entry's first text to review (an entry already out keeps its state)."""
        if self.status == EntryStatus.DRAFT:
            ENTRY_LIFECYCLE.check(self.status, EntryStatus.IN_REVIEW)
            self.status = EntryStatus.IN_REVIEW

    def reject(self) -> None:
        if self.status == EntryStatus.IN_REVIEW:
            ENTRY_LIFECYCLE.check(self.status, EntryStatus.DRAFT)
            self.status = EntryStatus.DRAFT

    def publish(self, version: KbVersion, *, at: datetime) -> None:
        """Show `version` from now on (KB-6); the review clock starts again (KB-11)."""
        if self.status != EntryStatus.PUBLISHED:
            ENTRY_LIFECYCLE.check(self.status, EntryStatus.PUBLISHED)
            self.status = EntryStatus.PUBLISHED
        self.published_version_id = version.id
        self.next_review_at = next_review(at, self.valid_until)

    def expire(self) -> None:
        ENTRY_LIFECYCLE.check(self.status, EntryStatus.EXPIRED)
        self.status = EntryStatus.EXPIRED

    def retire(self) -> None:
        ENTRY_LIFECYCLE.check(self.status, EntryStatus.RETIRED)
        self.status = EntryStatus.RETIRED


class KbVersion(Base):
    """One text of an entry; approved versions are its history (KB-7)."""

    __tablename__ = "kb_versions"
    __table_args__ = (UniqueConstraint("entry_id", "number"),)
    audit_entity = "kb_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("kb_entries.id"), index=True)
    number: Mapped[int | None]  # given on approval: 1, 2, …
    status: Mapped[str] = mapped_column(String(16), default=VersionStatus.DRAFT)
    title: Mapped[str] = mapped_column(String(200))
    problem: Mapped[str] = mapped_column(Text, default="")
    cause: Mapped[str] = mapped_column(Text, default="")
    solution_steps: Mapped[list] = mapped_column(default=list)
    product_models: Mapped[list] = mapped_column(default=list)
    tags: Mapped[list] = mapped_column(default=list)
    media: Mapped[list] = mapped_column(default=list)  # [{kind: image|video|file, url, caption}]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None]
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    review_note: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def snapshot(self) -> dict:
        return {
            "entry_id": self.entry_id,
            "number": self.number,
            "status": self.status,
            "title": self.title,
            "reviewer_id": self.reviewer_id,
        }

    def submit(self, *, at: datetime) -> None:
        VERSION_LIFECYCLE.check(self.status, VersionStatus.IN_REVIEW)
        self.status, self.submitted_at = VersionStatus.IN_REVIEW, at

    def reject(self, *, reviewer_id: int, note: str, at: datetime) -> None:
        VERSION_LIFECYCLE.check(self.status, VersionStatus.DRAFT)
        self.status, self.review_note = VersionStatus.DRAFT, note
        self.reviewer_id, self.decided_at = reviewer_id, at

    def approve(self, *, reviewer_id: int, number: int, at: datetime) -> None:
        VERSION_LIFECYCLE.check(self.status, VersionStatus.APPROVED)
        self.status, self.number = VersionStatus.APPROVED, number
        self.reviewer_id, self.decided_at = reviewer_id, at


class KbTerm(Base):
    """A search term of a published entry (jieba words, characters, error codes, facets)."""

    __tablename__ = "kb_terms"
    # term, then weight: a term's best postings are read first, from the index alone
    __table_args__ = (Index("ix_kb_terms_term_weight_entry", "term", "weight", "entry_id"),)

    entry_id: Mapped[int] = mapped_column(ForeignKey("kb_entries.id"), primary_key=True)
    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    weight: Mapped[int] = mapped_column(default=1)


class KbVocabulary(Base):
    """Every term ever indexed, once: pg_trgm finds near spellings here, not in the postings."""

    __tablename__ = "kb_vocabulary"
    __table_args__ = (
        Index(
            "ix_kb_vocabulary_term_trgm",
            "term",
            postgresql_using="gin",
            postgresql_ops={"term": "gin_trgm_ops"},
        ),
    )

    term: Mapped[str] = mapped_column(String(64), primary_key=True)


class KbFeedback(Base):
    """Helpful or not, and a comment (KB-10)."""

    __tablename__ = "kb_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("kb_entries.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    helpful: Mapped[bool | None]
    comment: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class KbUsageEvent(Base):
    """A view, search (with its result count) or flag, for the usage report (KB-10)."""

    __tablename__ = "kb_usage_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # view | search | flag | feedback
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("kb_entries.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    query: Mapped[str | None] = mapped_column(String(200))
    result_count: Mapped[int | None]
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class KbQueueItem(Base):
    """An item of the knowledge administrator's queue: "did not solve it" on a visit (KB-9)."""

    __tablename__ = "kb_queue_items"
    audit_entity = "kb_queue_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("kb_entries.id"), index=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(1000), default="")
    open: Mapped[bool] = mapped_column(default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def snapshot(self) -> dict:
        return {"entry_id": self.entry_id, "visit_id": self.visit_id, "open": self.open}
