"""``--explain PATH``: the printed contribution tree of a figure, on the golden case
``micro_sram_t22`` (NeuroSim V1.4 C++ values): the top value is the golden chip figure and
every printed node's children combine (sum / max / scale) to the node's printed value."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import REL_TOL, case_by_id, network_path, trace_files  # noqa: E402

from neurosim.commands.compat import compat_config  # noqa: E402
from neurosim.engine.flow import estimate_from_files  # noqa: E402
from neurosim.engine.results import CHIP_AREA_KEYS, CHIP_KEYS, LAYER_KEYS  # noqa: E402
from neurosim.errors import NeuroSimError  # noqa: E402
from neurosim.outputs import explain_paths, explain_text, format_quantity  # noqa: E402

CASE = case_by_id("micro_sram_t22")
GOLDEN = CASE["golden"]
NET = network_path(CASE)

LINE = re.compile(r"^(?P<ind> *)(?P<name>.+?): (?P<num>[-+]?(?:[0-9.]+(?:e[-+]?[0-9]+)?|inf|nan))"
                  r"(?: (?P<unit>[A-Za-z^0-9]+))?(?P<rest>.*)$")
PREFIX = {"a": 1e-18, "f": 1e-15, "p": 1e-12, "n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1.0,
          "k": 1e3, "M": 1e6, "G": 1e9}


def si_value(num: str, unit: str | None) -> float:
    """A printed quantity in SI units (areas in m^2, cycles as they are)."""
    v = float(num)
    if unit in (None, "cycles"):
        return v
    if unit == "um^2":
        return v * 1e-12
    return v * PREFIX[unit[:-1]]


def parse_tree(text: str) -> list[dict]:
    """Printed lines -> nodes with depth, value, rule, children (indices)."""
    nodes: list[dict] = []
    stack: list[int] = []
    for line in text.splitlines():
        m = LINE.match(line)
        assert m, line
        depth = len(m["ind"]) // 2
        rest = m["rest"]
        rule = "leaf"
        factor = None
        if "[sum]" in rest:
            rule = "sum"
        elif "[max of]" in rest:
            rule = "max"
        elif "[= child x " in rest:
            rule = "scale"
            factor = float(rest.split("[= child x ")[1].split("]")[0])
        node = {"name": m["name"], "depth": depth, "value": si_value(m["num"], m["unit"]),
                "unit": m["unit"], "rule": rule, "factor": factor, "children": [],
                "folded": "terms below)" in rest}
        del stack[depth:]
        if stack:
            nodes[stack[-1]]["children"].append(len(nodes))
        stack.append(len(nodes))
        nodes.append(node)
    return nodes


def check_printed(nodes: list[dict]) -> int:
    """Each printed node with printed children: the children give its value. Returns the
    number of nodes checked."""
    checked = 0
    for n in nodes:
        if not n["children"]:
            assert n["rule"] == "leaf" or n["folded"], n
            continue
        vals = [nodes[i]["value"] for i in n["children"]]
        if n["rule"] == "sum":
            expect = sum(vals)
        elif n["rule"] == "max":
            expect = max(vals)
        else:
            assert n["rule"] == "scale" and len(vals) == 1, n
            expect = vals[0] * n["factor"]
        # 6 significant digits printed for each term
        assert n["value"] == pytest.approx(expect, rel=2e-5, abs=1e-5 * max(vals + [0.0])), \
            n["name"]
        checked += 1
    return checked


def compat(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neurosim.cli", "compat", str(NET), "8", "8",
                           "128", "128", *trace_files(CASE), "--quiet", *args],
                          capture_output=True, text=True)


def section(stdout: str, path: str) -> str:
    text = stdout[stdout.index(f"== {path} = "):]
    return text.split("\n\n")[0].split("\n", 1)[1]


@pytest.fixture(scope="module")
def result():
    files = trace_files(CASE)
    return estimate_from_files(str(NET), files[0::2], files[1::2],
                               compat_config(8, 8, 128, 128))


def test_cli_tree_top_is_golden_and_children_sum() -> None:
    proc = compat("--explain", "chip.read_energy_j", "--explain", "chip.area_m2",
                  "--explain", "chip.read_latency_s", "--explain", "layers.2.read_energy_j")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "ChipArea : 5.48545e+06 um^2" in out  # the report is still printed first
    assert out.index("Energy Efficiency TOPS/W") < out.index("== chip.read_energy_j")

    energy = parse_tree(section(out, "chip.read_energy_j"))
    assert energy[0]["name"] == "chip (sum over layers)" and energy[0]["unit"] == "nJ"
    assert energy[0]["value"] == pytest.approx(GOLDEN["chip"]["read_energy_j"], rel=REL_TOL)
    layers = [energy[i] for i in energy[0]["children"]]
    assert [n["name"] for n in layers] == ["layer 1", "layer 2", "layer 3", "layer 4"]
    for n, gold in zip(layers, GOLDEN["layers"]):
        assert n["value"] == pytest.approx(gold["read_energy_j"], rel=REL_TOL)
    assert max(n["depth"] for n in energy) == 3  # --explain-depth defaults to 3
    assert check_printed(energy) >= 10

    area = parse_tree(section(out, "chip.area_m2"))
    assert area[0]["value"] == pytest.approx(GOLDEN["chip"]["area_m2"], rel=REL_TOL)
    assert "global X-Y bus" in {n["name"] for n in area}
    check_printed(area)

    latency = parse_tree(section(out, "chip.read_latency_s"))
    assert latency[0]["rule"] == "max"  # pipelined: the slowest layer sets the cycle
    assert latency[0]["value"] == pytest.approx(GOLDEN["chip"]["read_latency_s"], rel=REL_TOL)
    assert any(n["unit"] == "cycles" for n in latency)  # below the clock-period conversion
    check_printed(latency)

    layer2 = parse_tree(section(out, "layers.2.read_energy_j"))
    assert layer2[0]["value"] == pytest.approx(GOLDEN["layers"][1]["read_energy_j"],
                                               rel=REL_TOL)
    check_printed(layer2)


def test_every_figure_prints_a_consistent_tree(result) -> None:
    """All explainable figures, printed to full depth, against the JSON numbers."""
    js = result.to_json()
    for path in explain_paths(result):
        nodes = parse_tree(explain_text(result, [path], max_depth=99).split("\n", 1)[1])
        head, *rest = path.split(".")
        expect = js["chip"][rest[0]] if head == "chip" else \
            js["layers"][int(rest[0]) - 1][rest[1]]
        assert nodes[0]["value"] == pytest.approx(expect, rel=1e-5), path
        assert not any(n["folded"] for n in nodes), path
        check_printed(nodes)


def test_depth_limit(result) -> None:
    text = explain_text(result, ["chip.read_energy_j"], max_depth=0)
    lines = text.splitlines()
    assert lines == ["== chip.read_energy_j = 215.206 nJ",
                     lines[1]] and lines[1].startswith("chip (sum over layers): 215.206 nJ")
    assert "terms below)" in lines[1]
    one = explain_text(result, ["chip.read_energy_j"], max_depth=1).splitlines()[1:]
    assert [line.split(":")[0] for line in one] == ["chip (sum over layers)", "  layer 1",
                                                     "  layer 2", "  layer 3", "  layer 4"]
    assert "(77.4%)" in one[2]  # layer 2's share of the chip energy: 166.468 / 215.206


def test_a_figure_given_twice_is_explained_once(result) -> None:
    # before: the same tree was printed twice
    once = explain_text(result, ["chip.read_energy_j", "chip.area_m2"])
    twice = explain_text(result, ["chip.read_energy_j", "chip.area_m2", "chip.read_energy_j"])
    assert twice == once and once.count("== chip.read_energy_j") == 1


def test_list(result) -> None:
    proc = compat("--explain", "list")
    assert proc.returncode == 0, proc.stderr
    listed = proc.stdout.split("Explainable figures (use with --explain):\n")[1].split()
    assert len(listed) == len(CHIP_AREA_KEYS + CHIP_KEYS) + 4 * len(LAYER_KEYS)
    assert listed == explain_paths(result)
    assert "chip.area_m2" in listed and "layers.4.other_energy_j" in listed


@pytest.mark.parametrize("args,message", [
    (["--explain", "chip.energy"], "no chip figure 'energy'"),
    (["--explain", "layers.0.read_energy_j"], "layer '0' does not exist"),
    (["--explain", "layers.2.area_m2"], "no layer figure 'area_m2'"),
    (["--explain", "read_energy_j"], "expected chip.<figure> or layers.<n>.<figure>"),
    (["--explain", "chip.read_energy_j", "--explain-depth", "-1"], "give a depth >= 0"),
])
def test_bad_paths_exit_2(args, message) -> None:
    proc = compat(*args)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: ") and message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""  # refused before the estimate runs


def test_format_quantity() -> None:
    assert format_quantity(2.15206e-07, "J") == "215.206 nJ"
    assert format_quantity(2.65831e-06, "s") == "2.65831 us"
    assert format_quantity(5.48545e-06, "m^2") == "5.48545e+06 um^2"  # as NeuroSim prints
    assert format_quantity(1566.1, "cycles") == "1566.1 cycles"
    assert format_quantity(0.0, "J") == "0 J"
    assert format_quantity(8.3143e-05, "W") == "83.143 uW"
    assert format_quantity(1.0e-9, "J") == "1 nJ"


def test_unknown_path_raises(result) -> None:
    with pytest.raises(NeuroSimError, match="layer '5' does not exist"):
        explain_text(result, ["layers.5.read_energy_j"])


def test_explain_command_on_a_model(tmp_path: Path, monkeypatch) -> None:
    """``neurosim explain`` prints the trees of ``neurosim estimate``'s figures."""
    pytest.importorskip("torch")
    import json

    from click.testing import CliRunner

    from neurosim.cli import cli
    from test_outputs import SMALLNET

    (tmp_path / "smallnet.py").write_text(SMALLNET)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    r = runner.invoke(cli, ["estimate", "--model", "smallnet.py:build", "--quiet",
                            "--json", "e.json"])
    assert r.exit_code == 0, r.output
    est = json.loads(Path("e.json").read_text())
    r = runner.invoke(cli, ["explain", "chip.read_energy_j", "layers.3.read_latency_s",
                            "--model", "smallnet.py:build", "--quiet", "--depth", "2"])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("Network: build (3 CIM layers: 1=Conv0_, 2=Conv1_, 3=FC0_)")
    assert "ChipArea" not in r.output  # the trees only
    energy = parse_tree(section(r.output, "chip.read_energy_j"))
    assert energy[0]["value"] == pytest.approx(est["chip"]["read_energy_j"], rel=1e-5)
    check_printed(energy)
    lat = parse_tree(section(r.output, "layers.3.read_latency_s"))
    assert lat[0]["value"] == pytest.approx(est["layers"][2]["read_latency_s"], rel=1e-5)
    r = runner.invoke(cli, ["explain", "layers.4.read_energy_j", "--model",
                            "smallnet.py:build", "--quiet"])
    assert r.exit_code == 2 and "layers are numbered 1..3" in r.output
