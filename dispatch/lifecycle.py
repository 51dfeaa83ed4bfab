"""Lifecycles as data: one table of allowed transitions per stateful entity.

Each domain keeps its states (a `StrEnum`) and its table in its own rules module; models call
`Lifecycle.check` in their transition methods, so a move the table does not allow raises
`InvalidTransition` whoever asks for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType

from dispatch.errors import InvalidTransition


class Lifecycle:
    """An entity's states and the moves allowed between them (read-only once built)."""

    def __init__(self, entity: str, table: Mapping[StrEnum, Iterable[StrEnum]]):
        self.entity = entity
        self.table = MappingProxyType({state: frozenset(to) for state, to in table.items()})

    @property
    def states(self) -> frozenset[StrEnum]:
        return frozenset(self.table)

    def allows(self, current: str, to: str) -> bool:
        """Return whether the table allows moving from `current` to `to`."""
        return to in self.table.get(current, frozenset())

    def check(self, current: str, to: str) -> None:
        """Raise InvalidTransition unless the table allows moving from `current` to `to`."""
        if not self.allows(current, to):
            raise InvalidTransition(
                f"{self.entity.capitalize()} is {current}; it cannot become {to}",
                details={"status": str(current), "requested": str(to)},
            )

    def final(self, state: str) -> bool:
        """Return whether no move leaves `state`."""
        return not self.table.get(state)
