"""Who may do what in the knowledge base: one permission layer for loaders and lists."""

from __future__ import annotations

from sqlalchemy import or_

from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.errors import PermissionDenied
from dispatch.knowledge.models import KbEntry
from dispatch.knowledge.rules import EntryStatus, Visibility
from dispatch.users import rules as role_groups

# The knowledge base's role groups of dispatch.users.rules (ROL-3), as the role names tokens carry.
AUTHORS = tuple(map(str, role_groups.KB_AUTHORS))
REVIEWERS = tuple(map(str, role_groups.KB_REVIEWERS))
ADMINISTRATORS = tuple(map(str, role_groups.KB_ADMINS))
REPORT_READERS = tuple(map(str, role_groups.KB_REPORT_READERS))
READERS = tuple(map(str, role_groups.KB_READERS))


def require(actor: Actor, roles: tuple[str, ...], doing: str) -> None:
    """Raise PermissionDenied unless the actor holds one of `roles`."""
    if not actor.has_role(*roles):
        raise PermissionDenied(f"Your role may not {doing}", details={"allowed_roles": [*roles]})


def live():
    """The condition of entries search may return: published and not past valid-until (KB-5)."""
    return (KbEntry.status == EntryStatus.PUBLISHED) & or_(
        KbEntry.valid_until.is_(None), KbEntry.valid_until > utcnow()
    )


def visible(actor: Actor):
    """The condition of published entries `actor` may read: customers see customer entries."""
    if actor.kind == "customer":
        return live() & (KbEntry.visibility == Visibility.CUSTOMER)
    return live()


def may_read_unpublished(actor: Actor, entry: KbEntry) -> bool:
    """Drafts and entries under review are for their author, reviewers and administrators."""
    return actor.has_role(*REVIEWERS, *ADMINISTRATORS) or (
        actor.kind == "user" and entry.author_id == actor.id
    )
