"""Photo uploads: start one, append chunks at the expected offset, finish on a matching hash."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import access, audit
from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.errors import Conflict, NotFound, RuleViolation
from dispatch.photos import rules
from dispatch.photos.models import Photo
from dispatch.photos.storage import storage_for
from dispatch.visits.service import get_for_technician, get_visit


@dataclass(frozen=True)
class ChunkResult:
    photo: Photo
    problem: str | None = None  # set when the finished file failed its hash and was reset


def start_upload(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    visit_id: int,
    kind: str,
    content_type: str,
    total_size: int,
    sha256: str,
    caption: str | None = None,
) -> Photo:
    """Open an upload of a photo of one of my visits; the first chunk goes at offset 0."""
    visit = get_for_technician(session, actor, visit_id)
    problem = rules.start_problem(content_type, total_size, config.photo_max_bytes)
    if problem:
        raise RuleViolation(problem, error_code="photo_refused", details={"photo": [problem]})
    photo = Photo(
        visit=visit,
        kind=kind,
        caption=caption,
        content_type=content_type,
        total_size=total_size,
        sha256=sha256.lower(),
        storage_key=f"visit-{visit.id}/{uuid.uuid4().hex}",
        uploaded_by_id=actor.id,
        created_at=utcnow(),
    )
    after = {"visit_id": visit.id, "kind": kind, "size": total_size, "sha256": photo.sha256}
    return audit.add_created(
        session, actor=actor, obj=photo, action="photo.upload_started", entity="photo", after=after
    )


def get_photo(session: Session, photo_id: int, *, actor: Actor, for_update: bool = False) -> Photo:
    """Load a photo of a visit the actor may see, or raise NotFound."""
    photo = session.get(Photo, photo_id, with_for_update=for_update)
    if photo is None:
        raise NotFound(f"Photo {photo_id} not found")
    try:
        access.ensure_visit(actor, photo.visit)
    except NotFound:
        raise NotFound(f"Photo {photo_id} not found") from None
    return photo


def get_for_uploader(session: Session, actor: Actor, photo_id: int, **kw) -> Photo:
    """Load a photo of a visit assigned to the acting technician (404 otherwise)."""
    if not actor.is_technician:
        raise NotFound(f"Photo {photo_id} not found")
    return get_photo(session, photo_id, actor=actor, **kw)


def append_chunk(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    photo_id: int,
    content_range: str | None,
    data: bytes,
) -> ChunkResult:
    """Store the unseen bytes of a chunk; a re-sent chunk is acknowledged, a gap is refused."""
    # The row lock orders two chunks of one photo arriving at once (two app retries).
    photo = get_for_uploader(session, actor, photo_id, for_update=True)
    span = _checked_span(photo, content_range, data, config)
    skip = rules.new_bytes(span, photo.received_bytes)
    if skip is None:
        raise Conflict(
            f"Chunk starts after the {photo.received_bytes} bytes received; send from there",
            error_code="upload_gap",
            details={"expected_offset": photo.received_bytes},
        )
    fresh = data[skip:]
    if not fresh:  # all of it arrived before (a retry after a lost response)
        return ChunkResult(photo)
    if photo.received_bytes == 0:
        _check_image(photo, fresh, span)
    storage = storage_for(config)
    storage.write_at(photo.storage_key, photo.received_bytes, fresh)
    photo.received_bytes += len(fresh)
    if photo.received_bytes < photo.total_size:
        return ChunkResult(photo)
    return _finish(session, actor, photo, storage.sha256(photo.storage_key), storage)


def _checked_span(photo: Photo, header: str | None, data: bytes, config: Config):
    span = rules.parse_content_range(header)
    problem = (
        "Content-Range must read 'bytes start-end/total'"
        if span is None
        else rules.chunk_problem(
            span,
            body_size=len(data),
            total=photo.total_size,
            max_chunk=config.photo_chunk_max_bytes,
        )
    )
    if problem:
        raise RuleViolation(problem, error_code="bad_chunk", details={"Content-Range": [problem]})
    return span


def _check_image(photo: Photo, first: bytes, span) -> None:
    """Judge the type by the leading bytes, never by the client's word."""
    if len(first) < rules.SNIFF_BYTES:
        problem = f"the first chunk must carry at least {rules.SNIFF_BYTES} bytes"
    else:
        found = rules.sniff_type(first[: rules.SNIFF_BYTES])
        problem = (
            None
            if found == photo.content_type
            else (
                f"the bytes are not a {photo.content_type} image"
                + (f" (they are {found})" if found else "")
            )
        )
    if problem:
        raise RuleViolation(problem, error_code="not_an_image", details={"content": [problem]})


def _finish(session, actor: Actor, photo: Photo, digest: str, storage) -> ChunkResult:
    """Complete on a matching hash; otherwise throw the bytes away so the app starts over."""
    if digest == photo.sha256:
        photo.complete(utcnow())
        action, problem = "photo.completed", None
    else:
        storage.discard(photo.storage_key)
        photo.received_bytes = 0
        action, problem = "photo.upload_reset", "the SHA-256 of the bytes does not match"
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=action,
        entity="photo",
        entity_id=photo.id,
        after={"status": photo.status, "received_sha256": digest},
    )
    return ChunkResult(photo, problem)


def photos_of_visit(session: Session, visit_id: int, *, actor: Actor) -> list[Photo]:
    """List the photos of a visit the actor may see, oldest first."""
    get_visit(session, visit_id, actor=actor)
    return list(session.scalars(select(Photo).where(Photo.visit_id == visit_id).order_by(Photo.id)))


def my_visit_photos(*, session: Session, actor: Actor, visit_id: int) -> list[Photo]:
    """List the photos of one of my visits."""
    get_for_technician(session, actor, visit_id)
    return photos_of_visit(session, visit_id, actor=actor)


def open_content(
    *, session: Session, actor: Actor, config: Config, photo_id: int
) -> tuple[Photo, BinaryIO]:
    """Open the bytes of a finished photo of a visit the actor may see, for download."""
    photo = get_photo(session, photo_id, actor=actor)
    if not photo.is_complete:
        raise Conflict("The photo is still uploading", error_code="photo_incomplete")
    return photo, storage_for(config).open(photo.storage_key)
