"""Shared fixtures of the core tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def load_tech_node(node_nm: int):
    """The registered TechNode of ``node_nm`` (installed tech plugin, else its node.json)."""
    from neurosim.technology import TechNode

    try:
        from neurosim.plugins import get_registry

        return get_registry().get("tech", f"{node_nm}nm")
    except Exception:  # plugin not installed: read its data file from the repository
        path = (REPO / "plugins" / "techs" / f"neurosim-tech-{node_nm}nm" / "src"
                / f"neurosim_tech_{node_nm}nm" / "node.json")
        if not path.exists():
            pytest.skip(f"tech plugin {node_nm}nm is not available")
        return TechNode.from_json(path)


@pytest.fixture
def tech_node():
    return load_tech_node
