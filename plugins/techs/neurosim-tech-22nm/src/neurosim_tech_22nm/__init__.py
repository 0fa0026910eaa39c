"""neurosim technology node 22nm: 22 nm planar bulk CMOS (PTM 22nm HP/LP models; also 2D-FET and
TFET data).

The node's data lives in ``node.json`` next to this file; :func:`node` loads it.
"""

from importlib import resources

from neurosim.technology import TechNode

__version__ = "0.1.0"

NAME = "22nm"


def node() -> TechNode:
    """The :class:`~neurosim.technology.TechNode` of this distribution (read from node.json)."""
    with resources.as_file(resources.files(__name__) / "node.json") as path:
        return TechNode.from_json(path)
