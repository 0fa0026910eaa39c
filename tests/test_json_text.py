"""``neurosim.engine.results.dumps_json``: the text of ``json.dumps(obj, indent=2)``,
character for character (``--json`` files, ``EstimateResult.dumps``), for a golden result
with its contribution trees and provenance and for every kind of value json writes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id, case_params, network_path, trace_files  # noqa: E402

from neurosim.commands.compat import compat_config  # noqa: E402
from neurosim.engine.flow import estimate_from_files  # noqa: E402
from neurosim.engine.results import dumps_json  # noqa: E402
from neurosim.provenance import provenance_json  # noqa: E402


def test_golden_result_text_is_json_dumps_indent_2() -> None:
    case = case_by_id("micro_rram_cb2_t65")
    files = trace_files(case)
    a = case["argv"]
    cfg = compat_config(a["synapseBit"], a["numBitInput"], a["numRowSubArray"],
                        a["numRowParallel"], case_params(case))
    res = estimate_from_files(network_path(case), files[0::2], files[1::2], cfg)
    out = res.to_json(contributions=True)
    out["provenance"] = provenance_json(cfg)
    text = dumps_json(out)
    assert text == json.dumps(out, indent=2)
    assert res.dumps(contributions=True) == json.dumps(res.to_json(True), indent=2)
    assert len(text) > 50_000  # the trees are in it


def test_every_kind_of_value() -> None:
    obj = {"floats": [0.1, -2.5e-300, 1e300, float("nan"), float("inf"), float("-inf"), 0.0,
                      -0.0, np.float64(3.25), 1 / 3],
           "ints": [0, -7, 2 ** 70, True, False], "none": None,
           "text": ["", "é", "\u2603 \n \t \"quoted\" \\ \x01", "plain"],
           "empty": [[], {}, ()], "tuple": (1, (2, [3, {}])),
           1: "int key", 2.5: "float key", True: "bool key", None: "none key",
           "nested": {"a": {"b": {"c": [{"d": []}]}}}}
    assert dumps_json(obj) == json.dumps(obj, indent=2)
    for scalar in (1, 1.5, "x", None, True, [], {}):
        assert dumps_json(scalar) == json.dumps(scalar, indent=2)


@pytest.mark.parametrize("bad", [{"a": object()}, {(1, 2): 3}, [np.int64(3)]])
def test_unserializable_values_raise_type_error_as_json_does(bad) -> None:
    with pytest.raises(TypeError) as ours:
        dumps_json(bad)
    with pytest.raises(TypeError) as theirs:
        json.dumps(bad, indent=2)
    assert str(ours.value) == str(theirs.value)
