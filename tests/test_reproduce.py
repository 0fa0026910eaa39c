"""``neurosim reproduce table7``: the manual's Table VII as cited data, regenerated.

Area does not depend on the traces, so ours must equal the C++ parity target's area
(golden group ``table7``) exactly while both sit 7% below the manual; the full eight
configurations (two RRAM runs of ~30 CPU-s each) are a ``slow`` check (``make parity``)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id  # noqa: E402

from neurosim.commands.reproduce import load_table  # noqa: E402

# the transcription of the manual (p. 32), par 32 / par 64: area, TOPS/W, TOPS
PUBLISHED = {"sram22": ((85.97, 84.39), (8.76, 17.13), (6.06, 8.01)),
             "sram5": ((14.64, 14.33), (32.43, 54.41), (11.48, 11.96)),
             "sram1": ((8.34, 8.27), (65.08, 105.97), (12.27, 13.08)),
             "rram22": ((381.90, 378.06), (11.25, 19.88), (6.25, 8.16))}


def test_cited_data_is_the_manual_and_the_golden_cases() -> None:
    table = load_table()
    assert table["source"]["page"] == 32 and "Table VII" in table["source"]["table"]
    rows = {c["id"]: c for c in table["config"]}
    assert len(rows) == 8
    for name, (area, eff, tops) in PUBLISHED.items():
        for i, par in enumerate((32, 64)):
            m = rows[f"{name}_p{par}"]["manual"]
            assert (m["area_mm2"], m["tops_per_w"], m["tops"]) == (area[i], eff[i], tops[i])
            assert f"numRowParallel={par}" in rows[f"{name}_p{par}"]["set"]
    for c in table["config"]:
        if "cpp" in c:  # copied from the golden C++ run, not typed in
            g = case_by_id(c["cpp"]["id"])["golden"]
            assert c["cpp"]["area_mm2"] == pytest.approx(g["chip"]["area_m2"] * 1e6, rel=1e-9)
            assert c["cpp"]["tops_per_w"] == g["performance"]["tops_per_w"]
    assert all(r["source"] for r in table["reason"])


def reproduce(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neurosim.cli", "reproduce", "table7",
                           "--quiet", *args], capture_output=True, text=True, cwd=cwd)


def _check_area_equals_cpp(rows: list[dict]) -> None:
    for r in rows:
        if r["cpp"]:
            assert r["ours"]["area_mm2"] == pytest.approx(r["cpp"]["area_mm2"], rel=1e-5)
            assert 0.88 < r["ours_over_manual"]["area_mm2"] < 0.94  # 6-12% under the table


def test_two_configurations_text_json_csv_plot(tmp_path: Path) -> None:
    proc = reproduce("--only", "sram22_p32", "--only", "sram1_p64", "--json", "t.json",
                     "--csv", "t.csv", "--plot", "t.png", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "NOTE: seeded random VGG8 (no --checkpoint/--data)" in out
    assert "SRAM 22 nm, par. read 32       85.97    79.71    0.927" in out
    assert "Why the numbers differ" in out and "[source: " in out
    data = json.loads((tmp_path / "t.json").read_text())
    assert data["schema"] == "neurosim.reproduce/1" and data["synthetic"] is True
    assert [r["id"] for r in data["rows"]] == ["sram22_p32", "sram1_p64"]
    _check_area_equals_cpp(data["rows"])
    rows = list(csv.DictReader((tmp_path / "t.csv").open()))
    assert len(rows) == 2 * 4 and rows[0]["metric"] == "area_mm2"
    assert float(rows[0]["manual"]) == 85.97
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"


def test_unknown_configuration_is_refused() -> None:
    proc = reproduce("--only", "sram3_p32")
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: --only sram3_p32: no such configuration")


@pytest.mark.slow
def test_all_eight_configurations(tmp_path: Path) -> None:
    proc = reproduce("--json", "t.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads((tmp_path / "t.json").read_text())
    labels = [r["label"] for r in data["rows"]]
    assert len(labels) == 8
    for label in labels:
        assert label in proc.stdout
    _check_area_equals_cpp(data["rows"])
