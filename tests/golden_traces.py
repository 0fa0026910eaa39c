"""Golden cases of NeuroSim V1.4 (``tests/golden``): case loading, the NS_* -> Param.cpp
table of the golden README, and cached regeneration of a case's traces with
``gen_traces.py`` (shared by the parity tests, the CLI tests and the benchmark)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
SHARED_NETWORKS = Path(os.environ.get("NEUROSIM_GOLDEN_NETWORKS",
                                      "/work/shared/golden/networks"))
CACHE = Path(os.environ.get("NEUROSIM_TRACE_CACHE",
                           Path.home() / ".cache" / "neurosim-golden"))
REL_TOL = 1e-4

#: NS_* environment variable of the golden harness -> Param.cpp member (golden README table)
ENV_TO_PARAM = {
    "NS_OPERATIONMODE": "operationmode", "NS_MEMCELLTYPE": "memcelltype",
    "NS_ACCESSTYPE": "accesstype", "NS_TRANSISTORTYPE": "transistortype",
    "NS_DEVICEROADMAP": "deviceroadmap", "NS_GLOBALBUSTYPE": "globalBusType",
    "NS_GLOBALBUFFERTYPE": "globalBufferType",
    "NS_GLOBALBUFFERCORESIZEROW": "globalBufferCoreSizeRow",
    "NS_GLOBALBUFFERCORESIZECOL": "globalBufferCoreSizeCol",
    "NS_TILEBUFFERTYPE": "tileBufferType", "NS_TILEBUFFERCORESIZEROW": "tileBufferCoreSizeRow",
    "NS_TILEBUFFERCORESIZECOL": "tileBufferCoreSizeCol", "NS_PEBUFFERTYPE": "peBufferType",
    "NS_CHIPACTIVATION": "chipActivation", "NS_RELU": "reLu",
    "NS_NOVELMAPPING": "novelMapping", "NS_SARADC": "SARADC", "NS_CURRENTMODE": "currentMode",
    "NS_PIPELINE": "pipeline", "NS_SPEEDUPDEGREE": "speedUpDegree",
    "NS_VALIDATED": "validated", "NS_SYNCHRONOUS": "synchronous",
    "NS_ALGOWEIGHTMAX": "algoWeightMax", "NS_ALGOWEIGHTMIN": "algoWeightMin",
    "NS_CLKFREQ": "clkFreq", "NS_TEMP": "temp", "NS_TECHNODE": "technode",
    "NS_ACTIVATIONTYPE": "Activationtype", "NS_SPECIALLAYOUT": "speciallayout",
    "NS_GLOBALBUSDELAYTOLERANCE": "globalBusDelayTolerance",
    "NS_LOCALBUSDELAYTOLERANCE": "localBusDelayTolerance",
    "NS_TREEFOLDEDRATIO": "treeFoldedRatio", "NS_MAXGLOBALBUSWIDTH": "maxGlobalBusWidth",
    "NS_INPUTTOGGLE": "inputtoggle", "NS_OUTPUTTOGGLE": "outputtoggle",
    "NS_NUMCOLSUBARRAY": "numColSubArray", "NS_SYNC_DATA_TRANSFER": "sync_data_transfer",
    "NS_RELAXARRAYCELLHEIGHT": "relaxArrayCellHeight",
    "NS_RELAXARRAYCELLWIDTH": "relaxArrayCellWidth", "NS_NUMCOLMUXED": "numColMuxed",
    "NS_LEVELOUTPUT": "levelOutput", "NS_CELLBIT": "cellBit",
    "NS_MINSENSEVOLTAGE": "minSenseVoltage", "NS_RESISTANCEON": "resistanceOn",
    "NS_RESISTANCEOFF": "resistanceOff", "NS_READPULSEWIDTH": "readPulseWidth",
    "NS_ACCESSVOLTAGE": "accessVoltage", "NS_WRITEVOLTAGE": "writeVoltage",
}


def load_cases() -> list[dict]:
    with open(GOLDEN / "cases.jsonl") as f:
        return [json.loads(line) for line in f if line.strip()]


CASES = load_cases()


def network_path(case: dict) -> Path:
    """The case's network CSV: the repo copy, else the shared one, else written (once) from the
    rows recorded in the case itself (``network_rows``)."""
    name = Path(case["network_csv"]).name
    for candidate in (GOLDEN / "networks" / name, SHARED_NETWORKS / name):
        if candidate.exists():
            return candidate
    out = CACHE / "networks" / name
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(",".join(f"{v:g}" for v in row) + "\n" for row in case["network_rows"])
        part = out.with_name(f"{name}.{os.getpid()}")
        part.write_text(text)
        os.replace(part, out)
    return out


def case_params(case: dict) -> list[str]:
    out = []
    for k, v in case["env"].items():
        if k not in ENV_TO_PARAM:
            raise KeyError(f"{case['id']}: no Param.cpp member known for {k}")
        out.append(f"{ENV_TO_PARAM[k]}={v}")
    return out


def trace_files(case: dict) -> list[str]:
    """Regenerate (once, cached by the generator inputs) the case's trace files."""
    net = network_path(case)
    if not net.exists():
        raise FileNotFoundError(f"network {net} not available")
    tp = case["trace"]["params"]
    args = ["--synapse-bit", str(tp["synapse_bit"]), "--input-bit", str(tp["input_bit"]),
            "--seed", str(tp["seed"]), "--weight-std", repr(tp["weight_std"]),
            "--act-std", repr(tp["act_std"]), "--act-zero-frac", repr(tp["act_zero_frac"]),
            "--first-std", repr(tp["first_std"])]
    if tp.get("first_layer_relu"):
        args.append("--first-layer-relu")
    key = hashlib.sha256((net.read_text() + " ".join(args)).encode()).hexdigest()[:16]
    out = CACHE / f"{net.stem}_{key}"
    listing = out / "argv.txt"
    if not listing.exists():
        out.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + f".tmp{os.getpid()}")
        proc = subprocess.run([sys.executable, str(GOLDEN / "gen_traces.py"), str(net),
                               str(tmp), *args], capture_output=True, text=True, check=True)
        files = [str(out / Path(p).name) for p in proc.stdout.split()]
        for p in tmp.iterdir():
            os.replace(p, out / p.name)
        tmp.rmdir()
        part = out / f"argv.txt.{os.getpid()}"
        part.write_text("\n".join(files))
        os.replace(part, listing)
    return listing.read_text().split()


def case_by_id(case_id: str) -> dict:
    return next(c for c in CASES if c["id"] == case_id)
