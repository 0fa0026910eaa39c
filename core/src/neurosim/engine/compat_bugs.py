"""NeuroSim V1.4 defects that change numbers, reproduced for parity.

Each entry is named here once; the code that reproduces it checks
``ctx.bug(name)`` (true when ``config.compat_bugs`` is on, the default), so the corrected
behaviour is one switch away: ``--set compat_bugs=false``.
"""

BUGS: dict[str, str] = {
    # name: one-line description (filled in by the modules that reproduce them)
}


def register_bug(name: str, description: str) -> str:
    """Declare a reproduced defect (idempotent); returns its name for use with ``ctx.bug``."""
    BUGS.setdefault(name, description)
    return name
