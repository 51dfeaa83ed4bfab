"""Staff users and technicians' logins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from dispatch.clock import utcnow
from dispatch.db import Base

ROLES = (
    "dispatcher",
    "manager",
    "technician",
    "quality",
    "admin",
    "kb_author",  # knowledge base (ROL-1, KB-6)
    "kb_reviewer",
    "kb_admin",
    # Complaint governance (issue 18), see dispatch.complaints.rules.Role
    "complaint_handler",
    "department_head",
    "cs_manager",
    "vp_in_charge",
    "general_manager",
    "privacy_officer",  # PRV-5/16: reads the access log and the privacy reports (ROL-1)
)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    region_ids: Mapped[list] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None]

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def set_password(self, password: str, method: str = "scrypt") -> None:
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)
