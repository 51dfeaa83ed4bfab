"""Who is acting: a staff user, a technician, a customer through a link, or the system."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    kind: str  # "user" | "customer" | "system"
    id: int | None = None
    role: str | None = None
    technician_id: int | None = None
    region_ids: tuple[int, ...] = field(default_factory=tuple)
    label: str = ""

    @property
    def is_technician(self) -> bool:
        return self.role == "technician"

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


SYSTEM = Actor(kind="system", label="system")


def customer_actor(customer_id: int) -> Actor:
    """Return the actor for a customer acting through a link."""
    return Actor(kind="customer", id=customer_id, role="customer", label=f"customer:{customer_id}")


def link_viewer(customer_id: int) -> Actor:
    """Return who the access log names for a customer link page's view (PRV-5): "customer link"
    (whoever holds the link; it may have been forwarded)."""
    return Actor(kind="customer_link", id=customer_id, role="customer", label="customer link")
