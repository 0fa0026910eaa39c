"""Repository-wide test fixtures (tests/, core/tests/, plugins/*/*/tests/).

Every test gets its own empty trace-cache folder (``$NEUROSIM_CACHE_DIR``, see
``neurosim.trace_cache``), so no test run reads or writes the real ``~/.cache`` and no
test sees traces cached by another test (a cache hit would skip the forward pass a test
may have patched). Subprocesses inherit the variable.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_trace_cache(tmp_path_factory: pytest.TempPathFactory,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEUROSIM_CACHE_DIR", str(tmp_path_factory.mktemp("trace-cache")))
