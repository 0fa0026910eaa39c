"""``neurosim accuracy --sweep KEY=V1,V2,...``: software vs hardware accuracy over a grid.

Every combination of the sweep values (the cartesian product, first key slowest) is one
``neurosim accuracy`` run on the same data set; the text output is one table row per
combination, ``--json`` holds every run's full result, ``--plot FILE`` draws the hardware
accuracy against the first key, one line per combination of the others, with the software
(inference=0) accuracy dashed.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from ..errors import NeuroSimError
from ..outputs import figure_bytes


def parse_sweep(items: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """``KEY=V1,V2`` items -> ``[(key, [values])]`` (keys checked by the configuration)."""
    out: list[tuple[str, list[str]]] = []
    for item in items:
        key, sep, values = item.partition("=")
        vals = [v.strip() for v in values.split(",") if v.strip()]
        if not sep or not key.strip() or not vals:
            raise NeuroSimError(f"--sweep {item!r}: expected KEY=V1,V2,... (e.g. "
                                "adc_bits=3,4,5)")
        if any(k == key.strip() for k, _ in out):
            raise NeuroSimError(f"--sweep {key.strip()}: given twice")
        from ..config import resolve_name

        name = resolve_name(key.strip())  # an unknown key is named here
        for k, _ in out:  # two spellings of one option (adc_bits, ADCprecision)
            if resolve_name(k) == name:
                raise NeuroSimError(f"--sweep {key.strip()}: names the same option ({name}) "
                                    f"as --sweep {k}; give it once")
        out.append((key.strip(), vals))
    return out


#: most grid points of one --sweep (each is a whole accuracy run, as each of --seeds)
MAX_POINTS = 10_000


def combinations(sweep: list[tuple[str, list[str]]]) -> list[tuple[str, ...]]:
    """``KEY=VALUE`` override tuples of every grid point (at most :data:`MAX_POINTS`: a
    48,000-point product was expanded and loaded before the first run, then ran for days)."""
    n = math.prod(len(vals) for _, vals in sweep)
    if n > MAX_POINTS:
        sizes = " x ".join(str(len(vals)) for _, vals in sweep)
        raise NeuroSimError(f"--sweep: {n:,} combinations ({sizes}); at most "
                            f"{MAX_POINTS:,} accuracy runs; split the sweep")
    keys = [k for k, _ in sweep]
    return [tuple(f"{k}={v}" for k, v in zip(keys, point))
            for point in itertools.product(*(vals for _, vals in sweep))]


def sweep_text(rows: list[dict[str, Any]], keys: list[str]) -> str:
    """One aligned row per grid point: the swept values, hardware, software, agreement."""
    head = (*keys, "hardware", "software", "agreement")
    body = []
    for r in rows:
        res = r["result"]
        sw = res["software_accuracy"]
        agree = res["agreement_with_software"]
        body.append((*(str(r["point"][k]) for k in keys),
                     f"{100 * res['accuracy']['mean']:.2f} %",
                     "-" if sw is None else f"{100 * sw:.2f} %",
                     f"{100 * sum(agree) / len(agree):.2f} %" if agree else "-"))
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(head, widths))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(b, widths)) for b in body]
    return "\n".join(lines)


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def sweep_plot(rows: list[dict[str, Any]], keys: list[str], network: str,
               fmt: str = "png") -> bytes:
    """The figure (module doc) as ``fmt`` bytes (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x_key, rest = keys[0], keys[1:]
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(tuple(r["point"][k] for k in rest), []).append(r)
    xs_all = []
    for label, grp in groups.items():
        xs = [_number(str(r["point"][x_key])) for r in grp]
        xs_all += xs
        ys = [100 * r["result"]["accuracy"]["mean"] for r in grp]
        name = ", ".join(f"{k}={v}" for k, v in zip(rest, label)) or "hardware"
        ax.plot(xs, ys, marker="o", label=name)
    sw = [r["result"]["software_accuracy"] for r in rows
          if r["result"]["software_accuracy"] is not None]
    if sw:
        ax.axhline(100 * sum(sw) / len(sw), color="black", linestyle="--",
                   label="software (inference=0)")
    ax.set_xlabel(x_key)
    ylabel = "accuracy (%)" if sw else "agreement with software (%)"
    ax.set_ylabel(ylabel)
    ax.set_title(f"{network}: hardware-aware accuracy, {rows[0]['result']['n_items']} items")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    try:
        return figure_bytes(fig, fmt)
    finally:
        plt.close(fig)
