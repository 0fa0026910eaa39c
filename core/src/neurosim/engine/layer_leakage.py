"""The leakage numbers one layer of an estimate leaves to the next, for the main pass's
layers evaluated out of order (:mod:`.layer_workers`).

A circuit's ``leakage*`` attributes keep the value of its last ``calculate_power`` (as
NeuroSim's members do), and a PE or tile sums its parts' leakage, including a part it did
not evaluate in this layer (a PE whose subarrays each hold the whole matrix evaluates no
adder tree). Here: the numbers of all circuits (:func:`leakage_holders`), which of them a
layer wrote (:class:`PowerCalls`), where a layer's numbers start in the serial run
(:func:`predicted_starts`), and whether an out-of-order layer read the serial numbers
(:func:`started_as_serial`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def leakage_holders(root: Any) -> list[tuple[Any, str]]:
    """Every ``leakage*`` number held by the circuit objects reachable from ``root`` (the
    chip): the state one layer may leave to the next (a unit that a layer does not
    evaluate keeps its leakage from the last layer that did, as NeuroSim's members do)."""
    seen: set[int] = set()
    out: list[tuple[Any, str]] = []
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        attrs = getattr(obj, "__dict__", None)
        if attrs is None:
            continue
        for name, value in list(attrs.items()):
            if name.startswith("leakage") and isinstance(value, float):
                out.append((obj, name))
            elif isinstance(value, (list, tuple)):
                stack.extend(v for v in value if _is_circuit(v))
            elif _is_circuit(value):
                stack.append(value)
    return out


def _is_circuit(value: Any) -> bool:
    """An object of neurosim's or a plugin's making, or any with a ``calculate_power``
    (a third party's circuit), not data (arrays, tables, caches)."""
    if isinstance(value, type) or not hasattr(value, "__dict__"):
        return False
    module = type(value).__module__ or ""
    return module.startswith("neurosim") or callable(getattr(value, "calculate_power", None))


def same_holders(a: list[tuple[Any, str]], b: list[tuple[Any, str]]) -> bool:
    """The same objects and names, in the same order (by identity)."""
    return [(id(o), n) for o, n in a] == [(id(o), n) for o, n in b]


def leakage_state(holders: list[tuple[Any, str]]) -> tuple[float, ...]:
    """The numbers of ``holders``, in their order."""
    return tuple(getattr(obj, name) for obj, name in holders)


def _same(x: float, y: float) -> bool:
    """Equal, NaN equal to NaN."""
    return x == y or (x != x and y != y)


def started_as_serial(outcome: Any, state: tuple[float, ...],
                      families: Sequence[Sequence[int]]) -> bool:
    """Whether ``outcome`` read the leakage numbers the serial run would have given it
    (``state``). What a layer reads of an earlier layer's leakage is the leakage of the
    parts of a PE or a tile that it sums without evaluating them (a PE whose subarrays
    each hold the whole matrix evaluates no adder tree): ``families`` holds the indices
    of each part set's numbers, and the layer's result ``(perf, used)`` names the part
    sets it used. A number of a used set that the layer wrote (``outcome.written``) was
    written before it was read (a PE or tile sums its parts' leakage after evaluating
    them); every other number of a used set must equal ``state``'s."""
    before, after = outcome.before, outcome.after
    if (before is None or after is None or len(before) != len(state)
            or not isinstance(outcome.perf, tuple)):
        return False
    for g in outcome.perf[1]:
        for k in families[g]:
            if k not in outcome.written and not _same(before[k], state[k]):
                return False
    return True


def state_after(outcome: Any, state: tuple[float, ...]) -> tuple[float, ...]:
    """The serial run's numbers after an accepted layer: what the layer wrote, else
    ``state``'s (a number it did not write keeps the serial value, not the one it
    started from)."""
    return tuple(a if k in outcome.written else s
                 for k, (a, s) in enumerate(zip(outcome.after, state)))


def families_of(holders: list[tuple[Any, str]], groups: Sequence[Sequence[Any]]
                ) -> list[list[int]]:
    """The indices into ``holders`` of the numbers held within each group of objects."""
    index = {(id(o), n): k for k, (o, n) in enumerate(holders)}
    out = []
    for group in groups:
        found = {index[(id(o), n)] for part in group for o, n in leakage_holders(part)
                 if (id(o), n) in index}
        out.append(sorted(found))
    return out


def restore_state(holders: list[tuple[Any, str]], state: tuple[float, ...]) -> None:
    """Set the numbers of ``holders`` to ``state``."""
    for (obj, name), value in zip(holders, state):
        setattr(obj, name, value)


def predicted_starts(clock: list[tuple[tuple[float, ...], frozenset[int]]],
                     final: tuple[float, ...], n: int) -> list[tuple[float, ...]]:
    """Where each main-pass layer's leakage numbers start in the serial run, predicted
    from the clock pass (``clock``: each of its layers' numbers after it and the indices
    it wrote; ``final``: the numbers it left): those it left, updated with what each
    earlier layer wrote in the clock pass (the main pass evaluates those circuits too). A
    wrong prediction costs time only: the parent evaluates that layer again."""
    cur = list(final)
    starts = [tuple(final)]
    for j in range(n - 1):
        if j < len(clock):
            after, written = clock[j]
            for k in written:
                cur[k] = after[k]
        starts.append(tuple(cur))
    return starts


class PowerCalls:
    """Which circuits' ``calculate_power`` ran (what writes a circuit's leakage), on the
    objects of ``holders`` (one estimate's own circuits, which die with it): each gets an
    instance attribute wrapping its method (the class's method is untouched)."""

    def __init__(self, holders: list[tuple[Any, str]]) -> None:
        self.called: set[int] = set()
        objects = {id(o): o for o, _ in holders
                   if callable(getattr(o, "calculate_power", None))}
        for key, obj in objects.items():
            obj.__dict__["calculate_power"] = self._tracked(obj.calculate_power, key)

    def _tracked(self, method: Callable[..., Any], key: int) -> Callable[..., Any]:
        called = self.called

        def tracked(*args: Any, **kwargs: Any) -> Any:
            called.add(key)
            return method(*args, **kwargs)
        return tracked


def written_numbers(holders: list[tuple[Any, str]], before: tuple[float, ...],
                    after: tuple[float, ...], calls: PowerCalls | None) -> frozenset[int]:
    """The numbers a layer wrote: those of a circuit whose ``calculate_power`` ran, and
    any that changed."""
    called = calls.called if calls is not None else set()
    return frozenset(k for k, (o, _) in enumerate(holders)
                     if id(o) in called or not _same(before[k], after[k]))
