"""No module keys data or branches by node number: node data lives in the node plugins.

Issue 15 "Done when": a search of every Python module of the core and of the plugins finds

* no dict whose keys are node numbers (``{14: 41.142, 10: 33.0, ...}``, ``{2e-9: ...}``; a
  dict of small codes such as ``{1: "sram", 2: "rram"}`` is not a node table);
* no lookup indexed by the node (``TABLE[param.technode]``, ``TABLE.get(node_nm, ...)``);
* no comparison of the node or feature size with a number (``feature_size <= 14 * 1e-9``,
  ``technode == 22``): FinFET / GAA branches read ``tech.nonplanar`` / ``tech.finfet`` /
  ``tech.gaa`` (the node's family) instead.

The only per-node numbers are in each node plugin's ``node.json``. The search is an AST walk,
so comments and docstrings that cite NeuroSim's ``featureSize <= 14 nm`` do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NODES_NM = {130, 90, 65, 45, 32, 22, 14, 10, 7, 5, 3, 2, 1}
#: Names that hold the node (nm) or the feature size (m).
NODE_NAMES = {"feature_size", "featuresize", "technode", "node_nm", "feature_size_in_nano",
              "process_node", "technologynode", "fs", "node"}
SOURCES = sorted(p for base in (ROOT / "core" / "src", ROOT / "plugins", ROOT / "examples")
                 for p in base.rglob("*.py")
                 if "tests" not in p.parts and ".egg-info" not in str(p) and "build" not in p.parts)


def _number(node: ast.AST) -> float | None:
    """The value of a numeric literal or of a product / quotient of literals (``14 * 1e-9``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
            and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
        a, b = _number(node.left), _number(node.right)
        if a is not None and b is not None:
            return a * b if isinstance(node.op, ast.Mult) else a / b
    return None


def _is_node_value(x: float) -> bool:
    """A node in nm (22) or in m (22e-9)."""
    return any(x == n or abs(x - n * 1e-9) <= 1e-15 for n in NODES_NM)


def _names(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in ("int", "float") and node.args:
        return _names(node.args[0])
    return None


def findings(tree: ast.AST) -> list[tuple[int, str]]:
    out = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Dict):
            keys = [_number(k) for k in n.keys if k is not None]
            # all keys node values, and one a node (nm or m) that no small code list has
            if len(keys) >= 2 and all(k is not None and _is_node_value(k) for k in keys) and \
                    any(k >= 7 or k < 1e-6 for k in keys):
                out.append((n.lineno, "dict keyed by node numbers"))
        elif isinstance(n, ast.Subscript) and _names(n.slice) in NODE_NAMES - {"fs", "node"}:
            out.append((n.lineno, f"table indexed by {_names(n.slice)}"))
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) \
                and n.func.attr == "get" and n.args and _names(n.args[0]) in NODE_NAMES:
            out.append((n.lineno, f"table lookup by {_names(n.args[0])}"))
        elif isinstance(n, ast.Compare):
            sides = [n.left, *n.comparators]
            if any(_names(s) in NODE_NAMES for s in sides) and any(
                    (v := _number(s)) is not None and _is_node_value(v) for s in sides):
                out.append((n.lineno, "comparison of the node with a number"))
    return out


def test_sources_found():
    names = {p.name for p in SOURCES}
    assert {"formula.py", "subarray.py", "multilevel_sense_amp.py", "sar_adc.py",
            "current_sense_amp.py", "technology.py"} <= names


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_node_keyed_table_or_branch(path):
    tree = ast.parse(path.read_text(), str(path))
    assert findings(tree) == [], str(path.relative_to(ROOT))


@pytest.mark.parametrize("snippet", [
    "MAX_TRANSISTOR_HEIGHT_NM = {14: 41.142, 10: 33.0, 7: 34.285}",
    "_GAA = {2e-9: (0.5, 0.3), 1e-9: (0.6, 0.4)}",
    "c = FITS[param.technode]",
    "c = FITS.get(param.technode, FITS[7])",
    "x = 2 if tech.feature_size <= 14 * 1e-9 else 1",
    "y = node_nm >= 22",
])
def test_the_search_finds_what_the_old_code_had(snippet):
    assert findings(ast.parse(snippet)), snippet
