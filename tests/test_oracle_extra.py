"""Differential-oracle cases: option combinations outside the golden set, checked against the
C++ NeuroSim V1.4 (commit ac828e6) built with the NS_* overrides of the golden harness.

``tests/golden/oracle_extra.jsonl`` holds, per case, the numbers the C++ printed on the
synthetic traces of ``gen_traces.py`` (parsed into the ``golden`` schema of cases.jsonl), or
``status: rejected`` where the C++ refused the configuration. Micro/MiniRes only (fast).
"""
from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_golden_parity import _run_ok_case, _run_rejected_case  # noqa: E402

CASES = [json.loads(line) for line in
         (Path(__file__).parent / "golden" / "oracle_extra.jsonl").read_text().splitlines()
         if line.strip()]


@pytest.mark.parametrize("case", [c for c in CASES if c["status"] == "ok"],
                         ids=lambda c: c["id"])
def test_oracle_case(case: dict) -> None:
    """Every number within the parity tolerance of the C++ output; where the C++ printed
    ``Error`` lines and went on (``cpp_messages``), each is one of our warnings."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        _run_ok_case(case)
    ours = {" ".join(str(w.message).split()) for w in seen}
    for msg in case.get("cpp_messages", []):
        assert " ".join(msg.split()) in ours, (msg, sorted(ours))


@pytest.mark.parametrize("case", [c for c in CASES if c["status"] == "rejected"],
                         ids=lambda c: c["id"])
def test_oracle_rejected(case: dict, tmp_path: Path) -> None:
    """Where the C++ refused the configuration, neurosim exits 2 with one ``Error:`` line."""
    _run_rejected_case(case, tmp_path)
