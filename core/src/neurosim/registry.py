"""Core-owned registries that plugins fill through ``neurosim_register_*`` hooks.

Each registered component is an :class:`Entry` keyed by ``(kind, name)`` (and, for
peripheral circuits, by role as well). Lookups of unknown names raise
:class:`~neurosim.errors.UnknownComponentError` with "did you mean" suggestions, the
installed names and the distribution that conventionally provides the name. A name that two
distributions registered is a *conflict*: it stays listed, and only looking it up raises
:class:`~neurosim.errors.DuplicateComponentError` (so ``--help`` and ``neurosim plugins``
still work).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from .contracts import install_hint
from .errors import DuplicateComponentError, UnknownComponentError

KINDS = ("tech", "device", "interconnect", "peripheral", "network")


def _natural(name: str) -> tuple:
    """Sort key putting numbers in numeric order ("1nm" < "2nm" < "10nm" < "130nm")."""
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name))


@dataclass(frozen=True)
class Entry:
    """One registered component and where it came from."""

    kind: str
    name: str
    obj: Any
    distribution: str
    version: str
    module: str
    role: str | None = None
    aliases: tuple[str, ...] = ()
    description: str = ""

    @property
    def key(self) -> tuple[str, str | None, str]:
        return (self.kind, self.role, self.name)


@dataclass
class Registry:
    """All components of all kinds, with provenance."""

    entries: dict[tuple[str, str | None, str], Entry] = field(default_factory=dict)
    _aliases: dict[tuple[str, str | None, str], str] = field(default_factory=dict)
    #: (kind, role, name) registered by two distributions -> the message naming both
    conflicts: dict[tuple[str, str | None, str], str] = field(default_factory=dict)

    def add(self, entry: Entry) -> None:
        if entry.kind not in KINDS:
            raise ValueError(f"unknown component kind {entry.kind!r}; expected one of {KINDS}")
        if entry.kind == "peripheral" and not entry.role:
            raise ValueError(f"peripheral {entry.name!r} from {entry.distribution} needs a role")
        names = (entry.name, *entry.aliases)
        for n in names:
            key = (entry.kind, entry.role, n)
            other = self.entries.get(key) or self.entries.get(
                (entry.kind, entry.role, self._aliases.get(key, "\0"))
            )
            if other is not None:
                what = f"{entry.kind} {entry.role + ' ' if entry.role else ''}{n!r}"
                raise DuplicateComponentError(
                    f"{what} is registered by both {other.distribution} and "
                    f"{entry.distribution}; uninstall one or disable it with "
                    f"NEUROSIM_DISABLE_PLUGINS"
                )
        self.entries[entry.key] = entry
        for a in entry.aliases:
            self._aliases[(entry.kind, entry.role, a)] = entry.name

    def add_conflict(self, entry: Entry, message: str) -> None:
        """Record that ``entry`` (or one of its aliases) clashes with a registered name."""
        for n in (entry.name, *entry.aliases):
            self.conflicts.setdefault((entry.kind, entry.role, n), message)

    def __iter__(self) -> Iterator[Entry]:
        return iter(sorted(self.entries.values(),
                           key=lambda e: (e.kind, e.role or "", _natural(e.name))))

    def names(self, kind: str, role: str | None = None) -> list[str]:
        return sorted(e.name for e in self if e.kind == kind and e.role == role)

    def roles(self) -> list[str]:
        return sorted({e.role for e in self if e.kind == "peripheral" and e.role})

    def entry(self, kind: str, name: str, role: str | None = None) -> Entry:
        """The entry registered as ``name`` (or one of its aliases)."""
        key = (kind, role, str(name))
        if key in self.conflicts:
            raise DuplicateComponentError(self.conflicts[key])
        if key in self.entries:
            return self.entries[key]
        if key in self._aliases:
            return self.entries[(kind, role, self._aliases[key])]
        known = self.names(kind, role)
        what = f"{kind} {role + ' ' if role else ''}{name!r}"
        import difflib  # only for the message (start-up: not imported otherwise)

        hint = difflib.get_close_matches(str(name), known, n=3, cutoff=0.5)
        msg = f"no {what} is installed."
        if hint:
            msg += " Did you mean " + " or ".join(repr(h) for h in hint) + "?"
        msg += " Installed: " + (", ".join(known) if known else "none")
        msg += (f". If it is a separate plugin, install it: pip install "
                f"{install_hint(kind, str(name), role)}")
        msg += " (`neurosim plugins` lists every plugin and any that failed to load.)"
        raise UnknownComponentError(msg)

    def get(self, kind: str, name: str, role: str | None = None) -> Any:
        """The registered object (class, factory or data) for ``name``."""
        return self.entry(kind, name, role).obj
