"""neurosim technology node 16nm: a 16 nm FinFET node (worked example of a third-party node).

The node's data lives in ``node.json`` next to this file (format ``neurosim-technode/2``);
:func:`node` loads it. README.md cites every number.
"""

from importlib import resources

from neurosim.technology import TechNode

__version__ = "0.1.0"

NAME = "16nm"


def node() -> TechNode:
    """The :class:`~neurosim.technology.TechNode` of this distribution (read from node.json)."""
    with resources.as_file(resources.files(__name__) / "node.json") as path:
        return TechNode.from_json(path)
