"""``sweep show --where EXPR --sort KEY``: a small, safe filter language (nothing is
evaluated as code).

    EXPR   := COND ( ("and" | "&&" | ",") COND )*
    COND   := COLUMN OP VALUE
    OP     := = | == | != | < | <= | > | >=
    VALUE  := a number, or a name (quoted if it has spaces): device = rram, status != "x y"

Numbers compare as numbers (``tech <= 22`` reads ``22nm`` as 22); names compare as text
(``=`` and ``!=`` only). ``--sort KEY`` sorts ascending, ``--sort -KEY`` descending; rows
without a value go last.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import NeuroSimError
from .table import Table, number

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "=": operator.eq, "!=": operator.ne, "<=": operator.le,
    ">=": operator.ge, "<": operator.lt, ">": operator.gt}
_COND = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(==|!=|<=|>=|=|<|>)\s*"
                   r"(\"[^\"]*\"|'[^']*'|[^\s'\"]+)\s*$")
#: a separator outside quotes (an even number of quote marks follows it): a quoted
#: value may hold ',' or ' and ' (reason = "a, b" was split inside the quotes)
_SPLIT = re.compile(r"""(?:\s+and\s+|\s*&&\s*|\s*,\s*)(?=(?:[^'"]|'[^']*'|"[^"]*")*$)""",
                    re.IGNORECASE)


@dataclass(frozen=True)
class Condition:
    column: str
    op: str
    value: Any  # float or str

    def test(self, cell: Any) -> bool:
        if isinstance(self.value, float):
            x = number(cell)
            return not math.isnan(x) and _OPS[self.op](x, self.value)
        text = "" if cell is None else (("true" if cell else "false")
                                        if isinstance(cell, bool) else str(cell))
        return _OPS[self.op](text.lower(), self.value.lower())


def parse_where(expr: str, columns: list[str]) -> list[Condition]:
    conds = []
    for part in _SPLIT.split(expr.strip()):
        m = _COND.match(part)
        if not m:
            raise NeuroSimError(f"--where {expr!r}: cannot read {part!r}; write COLUMN OP "
                                "VALUE joined by 'and', e.g. \"device = rram and "
                                "chip.area_m2 < 1e-4\"")
        col, op, raw = m.groups()
        if col not in columns:
            raise NeuroSimError(f"--where: no column {col!r}; columns: "
                                f"{', '.join(_short(columns))}")
        if not raw.strip() or set(raw.strip()) <= set("=<>!"):  # 'technode ==' read as
            # technode = "=" matched no row, silently
            raise NeuroSimError(f"--where {part!r}: no value after {op}; write COLUMN OP "
                                "VALUE, e.g. \"technode = 22\"")
        raw = raw.strip().strip("'\"")
        try:
            value: Any = float(raw.lower().removesuffix("nm"))
        except ValueError:
            if op not in ("=", "==", "!="):
                raise NeuroSimError(f"--where {part!r}: {op} needs a number") from None
            value = raw
        if isinstance(value, float) and not math.isfinite(value):  # nan matched no row
            raise NeuroSimError(f"--where {part!r}: compare with a finite number")
        conds.append(Condition(col, op, value))
    return conds


def _check_kind(cond: Condition, table: Table) -> None:
    """A number compared with a column of names, or a name with a column of numbers, can
    match no row: an error rather than an empty listing (``adc_bits = abc``,
    ``status < 5``)."""
    cells = [v for v in table.column(cond.column) if v is not None and v != ""]
    if not cells:
        return
    numeric = [not isinstance(v, bool) and not math.isnan(number(v)) for v in cells]
    if isinstance(cond.value, str) and all(numeric):
        raise NeuroSimError(f"--where '{cond.column} {cond.op} {cond.value}': "
                            f"{cond.column} holds numbers; compare it with a number")
    if isinstance(cond.value, float) and not any(numeric):
        names = sorted({str(v).lower() if isinstance(v, bool) else str(v) for v in cells})
        raise NeuroSimError(f"--where '{cond.column} {cond.op} {cond.value:g}': "
                            f"{cond.column} holds names ({', '.join(names[:5])}"
                            f"{', ...' if len(names) > 5 else ''}); compare it with one of "
                            "them")


def _short(columns: list[str]) -> list[str]:
    return [c for c in columns if not c.startswith(("layers.", "floorplan."))] + \
        (["layers.<n>.<figure>", "floorplan.<...>"] if any(c.startswith("layers.")
                                                        for c in columns) else [])


def filter_table(table: Table, expr: str | None) -> Table:
    if not expr:
        return table
    conds = parse_where(expr, table.columns)
    for c in conds:
        _check_kind(c, table)
    keep = [r for r in table.records if all(c.test(r.get(c.column)) for c in conds)]
    return Table(table.columns, keep, table.axes)


def sort_table(table: Table, key: str | None) -> Table:
    if not key:
        return table
    desc = key.startswith("-")
    col = key[1:] if desc else key
    if col not in table.columns:
        raise NeuroSimError(f"--sort: no column {col!r}; columns: "
                            f"{', '.join(_short(table.columns))}")
    vals = table.column(col)
    nums = [number(v) for v in vals]
    # a NaN cell is a number without a value (before: one sorted the column as text)
    blank = [v is None or v == "" or str(v).strip().lower() == "nan" for v in vals]
    numeric = all(math.isnan(x) == b for x, b in zip(nums, blank))
    if numeric:
        def k(i: int) -> tuple:  # numeric column (blanks and NaN last)
            x = nums[i]
            return (math.isnan(x), -x if desc and not math.isnan(x) else x)
    else:
        def k(i: int) -> tuple:
            return (vals[i] is None, str(vals[i]))
    order = sorted(range(len(vals)), key=k)
    if desc and not numeric:
        order = [i for i in order if vals[i] is not None][::-1] + \
            [i for i in order if vals[i] is None]
    return Table(table.columns, [table.records[i] for i in order], table.axes)
