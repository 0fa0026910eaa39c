"""neurosim technology node 1nm: 1 nm GAA nanosheet, 4 sheets, backside power rail, dielectric
wall, CFET-style SRAM cell (IRDS 2022).

The node's data lives in ``node.json`` next to this file; :func:`node` loads it.
"""

from importlib import resources

from neurosim.technology import TechNode

__version__ = "0.1.0"

NAME = "1nm"


def node() -> TechNode:
    """The :class:`~neurosim.technology.TechNode` of this distribution (read from node.json)."""
    with resources.as_file(resources.files(__name__) / "node.json") as path:
        return TechNode.from_json(path)
