"""Entry-point discovery without importing importlib.metadata
(``neurosim.plugins.discover_entry_points``, issue 11 start-up): the same entry points, in
the same order, with the same distribution names and versions as
``importlib.metadata.entry_points(group=...)``, for the installed plugins and for
throwaway distributions on ``sys.path`` (duplicates, egg-info, comments, attributes)."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from neurosim.plugins import discover_entry_points


def _rows(eps) -> list[tuple]:
    return [(e.name, e.value, e.group, e.dist.name if e.dist else None,
             e.dist.version if e.dist else None) for e in eps]


@pytest.mark.parametrize("group", ["neurosim", "console_scripts", "pytest11", "no-such-group"])
def test_installed_entry_points_match_importlib_metadata(group: str) -> None:
    assert _rows(discover_entry_points(group)) == _rows(metadata.entry_points(group=group))
    if group == "neurosim":  # the in-repo plugins: 28 distributions, one entry point each
        assert len(discover_entry_points(group)) == 28


def _dist(root: Path, folder: str, name: str, version: str, entry_points: str,
          meta: str = "METADATA") -> None:
    info = root / folder
    info.mkdir(parents=True)
    (info / meta).write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                             "Summary: x\n\nName: not-a-header\n")
    (info / "entry_points.txt").write_text(entry_points)


def test_throwaway_distributions_match_importlib_metadata(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    (first / "nsdisc_mod.py").parent.mkdir(parents=True)
    (first / "nsdisc_mod.py").write_text("class Outer:\n    class Inner:\n        x = 3\n")
    _dist(first, "ns_disc_one-1.0.dist-info", "ns-disc-one", "1.0",
          "# a comment\n[console_scripts]\nnot = mine:main\n\n[neurosim]\n"
          "ns-disc-one = nsdisc_mod:Outer.Inner\n# another comment\nsecond=nsdisc_mod\n")
    # the same distribution again later on the path: importlib.metadata keeps the first
    _dist(second, "ns_disc_one-2.0.dist-info", "ns-disc-one", "2.0",
          "[neurosim]\nns-disc-one = other_mod\n")
    _dist(second, "ns_disc_egg.egg-info", "ns-disc-egg", "0.3", "[neurosim]\negg = nsdisc_mod\n",
          meta="PKG-INFO")
    _dist(second, "ns_disc_none-0.1.dist-info", "ns-disc-none", "0.1", "[other]\nx = y\n")
    # importlib.metadata reads "[ neurosim ]" as another group
    _dist(second, "ns_disc_spaced-0.1.dist-info", "ns-disc-spaced", "0.1",
          "[ neurosim ]\nspaced = nsdisc_mod\n")
    monkeypatch.syspath_prepend(str(second))
    monkeypatch.syspath_prepend(str(first))
    ours = discover_entry_points("neurosim")
    assert _rows(ours) == _rows(metadata.entry_points(group="neurosim"))
    mine = [e for e in ours if e.dist and e.dist.name.startswith("ns-disc")]
    assert _rows(mine) == [
        ("ns-disc-one", "nsdisc_mod:Outer.Inner", "neurosim", "ns-disc-one", "1.0"),
        ("second", "nsdisc_mod", "neurosim", "ns-disc-one", "1.0"),
        ("egg", "nsdisc_mod", "neurosim", "ns-disc-egg", "0.3")]
    assert mine[0].load().x == 3  # module:attribute.attribute
    assert mine[1].load().__name__ == "nsdisc_mod"


def test_cli_start_up_does_not_import_importlib_metadata() -> None:
    """``neurosim --help`` and plugin loading read the entry points without it (it costs
    about 20 ms of a 0.3 s start-up)."""
    code = ("import sys, neurosim.cli\n"
            "from neurosim.plugins import get_host\n"
            "get_host()\n"
            "print('importlib.metadata' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
