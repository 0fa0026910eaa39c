"""The plugin author kit's C++-reference helpers (:mod:`neurosim.testing.reference`)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from neurosim.testing.reference import COLUMN_RES, MATRIX_REF, check, make_ctx, matrix, mismatches


def test_mismatches_of_a_mapping_and_of_attributes():
    expected = {"a": 1.0, "b": 2.0}
    assert mismatches({"a": 1.0 + 1e-12, "b": 2.0}, expected) == {}
    assert mismatches({"a": 1.0, "b": 2.1}, expected) == {"b": (2.1, 2.0)}
    assert mismatches(SimpleNamespace(a=1.0, b=2.0, c=5.0), expected) == {}
    assert mismatches({"a": 1.0 + 1e-11, "b": 2.0}, expected, rel_tol=1e-12) \
        == {"a": (1.0 + 1e-11, 1.0)}


def test_check_and_matrix():
    check({"x": math.nan}, "x", math.nan)
    with pytest.raises(AssertionError):
        check({"x": 1.0}, "x", 1.0 + 1e-6)
    mat = matrix(MATRIX_REF)
    assert mat.shape == (5, 12)
    assert mat[0, 0] == 1000 and math.isinf(mat[0, 3])
    assert math.isinf(COLUMN_RES[-1])


def test_make_ctx_sets_the_driver_param():
    ctx = make_ctx(22)
    assert ctx.param.technode == 22 and ctx.param.read_voltage == 0.55
    assert ctx.param.columncap == 3.1e-14
    assert make_ctx(7).param.technode == 7
