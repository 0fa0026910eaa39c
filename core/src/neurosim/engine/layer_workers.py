"""The layers of an estimate's main pass on two processes (engine threads > 1).

After the clock pass the process forks once: parent and child take layers, the costliest
first (:func:`layer_cost`), from one queue (a pipe holding every layer index, read two
bytes at a time: each read is atomic), and the child sends its
:class:`~neurosim.engine.contributions.Perf` results back pickled. Most of a layer's
time is numpy work, but the part that holds the GIL is large enough that two processes
beat two threads (VGG8 22 nm RRAM ``compat``, in process: 3.56 s on one core, 2.06 s
with two processes, the same JSON bit for bit). A network whose layers cost little in all
(:data:`MIN_FORK_COST`) is not worth the fork.

A layer's figures depend on the layer, the configuration and the clock pass's period, and
on one thing earlier layers leave behind: the leakage of a part it sums without evaluating
it (a PE whose subarrays each hold the whole matrix evaluates no adder tree and reports
the adder tree's leakage of the last layer that did, as NeuroSim's members do). So every
``leakage*`` number of the circuits is recorded before and after each layer, with what
the layer wrote (the numbers of the circuits whose ``calculate_power`` ran) and which
part sets (a tile's and a PE's, conventional or novel-mapped) it used
(:mod:`.layer_leakage`). A layer starts from the numbers the serial run is predicted to
give it (what the clock pass left, updated with what the earlier layers wrote in it);
walking the layers in order, the parent keeps a layer whose used part sets held the
serial numbers where it did not write them and evaluates the others again from those
numbers (:func:`again`).

**The figures and the output are those of the serial run.** Each layer's notices (the
``say`` lines of its trace parse, the warnings of its circuits) are captured where it runs
and told by the parent in the layers' order, as the serial run tells them; the first layer
(in order) that raises raises there, after the notices of the layers before it. A child
that dies, raises, cannot send or sends something unreadable costs time only: the parent
evaluates the layers it has no result for itself, in order, as the serial run would.

Used only where forking is safe: Linux's ``os.fork``, called from the main thread with no
other Python thread running but daemon ones (the engine's trace-parse pool is shut down
first), torch not imported (its OpenMP threads), and at least two layers. Elsewhere (and
with one engine thread, as in sweep rows) the layers run one after another.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import struct
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..held_notices import capturing, say
from .layer_leakage import PowerCalls, leakage_state, restore_state, written_numbers

#: the queue's record: one layer index (unsigned 16 bits; at most 65,535 layers)
_RECORD = struct.Struct("<H")
#: the queue is written whole before the fork: it must fit a pipe's buffer (64 KiB)
MAX_LAYERS = 16_384
#: a network whose :func:`layer_cost` sum is below this (its main pass well under 0.1 s:
#: Micro 4e7, MiniVGG 4e8, VGG8 1e10) runs in one process (a fork costs 15-20 ms)
MIN_FORK_COST = 5e8


@dataclass
class Outcome:
    """One layer's evaluation: its result or its exception, and the notices it printed
    (``("say", line)`` or ``("warn", message, category, filename, lineno)``, in order)."""

    perf: Any = None
    error: BaseException | None = None
    events: list[tuple] = field(default_factory=list)
    #: the circuits' leakage numbers before and after (:func:`leakage_state`) and the
    #: process that evaluated it
    before: tuple[float, ...] | None = None
    after: tuple[float, ...] | None = None
    #: indices of the numbers the layer wrote (:class:`PowerCalls`)
    written: frozenset[int] = frozenset()
    pid: int = 0


def fork_usable(num_layers: int, threads: int) -> bool:
    """Whether the main pass may fork (see the module doc): on Linux (macOS's system
    libraries are not safe to use in a forked child), from the main thread, with no other
    thread but daemon ones (a progress display's refresh: the child never draws), torch
    not imported."""
    if not (threads > 1 and sys.platform.startswith("linux") and hasattr(os, "fork")
            and 2 <= num_layers <= MAX_LAYERS and "torch" not in sys.modules):
        return False
    me = threading.current_thread()
    return me is threading.main_thread() and all(
        t.daemon for t in threading.enumerate() if t is not me)


def fork_wanted(rows: Sequence[Sequence[float]], num_bit_input: int, threads: int) -> bool:
    """Whether a network of these layer rows forks its main pass: it may
    (:func:`fork_usable`) and it is worth the fork (:data:`MIN_FORK_COST`)."""
    return (fork_usable(len(rows), threads)
            and sum(layer_cost(r, num_bit_input) for r in rows) >= MIN_FORK_COST)


def layer_cost(row: Sequence[float], num_bit_input: int) -> float:
    """Relative cost of one layer's evaluation: its weights x (200 + its input bit-vectors)
    (per-cell work, the trace parse and the conductances, against the per-vector products
    and conversions; fitted on VGG8)."""
    ifm_h, ifm_w, cin, kh, kw, cout = (float(v) for v in row[:6])
    return cin * kh * kw * cout * (200.0 + ifm_h * ifm_w * num_bit_input)


def evaluate_layers(evaluate: Callable[[int], Any], order: Sequence[int],
                    holders: list[tuple[Any, str]] | None = None,
                    starts: Sequence[tuple[float, ...]] | None = None,
                    calls: PowerCalls | None = None) -> list[Outcome | None]:
    """``evaluate(i)`` of the layers in ``order`` (a permutation of the layer indices, the
    costliest first) on this process and a forked child, each from the leakage numbers
    ``starts[i]`` of ``holders`` (when given); outcomes indexed by layer, None
    for a layer nobody finished (the caller evaluates it, in order; every layer when the
    pipes or the fork cannot be had). A layer that raises stops the process that ran it
    (the child's is left to the caller: it raises there)."""
    n = len(order)
    outcomes: list[Outcome | None] = [None] * n
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()  # nothing buffered is written twice
    gc.freeze()  # the child's collections then leave the shared pages alone
    fds: list[int] = []
    try:
        queue_r, queue_w = os.pipe()
        fds += [queue_r, queue_w]
        result_r, result_w = os.pipe()
        fds += [result_r, result_w]
        os.write(queue_w, b"".join(_RECORD.pack(i) for i in order))
        os.close(queue_w)
        fds.remove(queue_w)
        pid = os.fork()
    except OSError:  # no pipe or no process to be had: the caller evaluates every layer
        for fd in fds:
            os.close(fd)
        return outcomes
    if pid == 0:  # the child: never returns
        _child(evaluate, queue_r, result_r, result_w, holders, starts, calls)
    os.close(result_w)
    try:
        failed = False
        for i in _taken(queue_r):
            outcomes[i] = run_layer(evaluate, i, holders,
                                    None if starts is None else starts[i], calls)
            if outcomes[i].error is not None:
                failed = True  # no later layer is told: stop the child too
                break
        if failed:
            _reap(pid)
        for i, outcome in _received(result_r).items():
            if 0 <= i < n and outcomes[i] is None:
                outcomes[i] = outcome
    finally:
        os.close(queue_r)
        os.close(result_r)
        _reap(pid)
    return outcomes


def run_layer(evaluate: Callable[[int], Any], i: int,
              holders: list[tuple[Any, str]] | None = None,
              start: tuple[float, ...] | None = None,
              calls: PowerCalls | None = None) -> Outcome:
    """``evaluate(i)`` with its notices captured (and the leakage numbers of ``holders``
    around it, set to ``start`` first when given, and which of them it wrote)."""
    out = Outcome(pid=os.getpid())
    lines: list[str] = []

    def record(message: Any, category: type, filename: str, lineno: int, file: Any = None,
               line: str | None = None) -> None:
        flush_lines()
        out.events.append(("warn", str(message), category, filename, lineno))

    def flush_lines() -> None:
        out.events.extend(("say", text) for text in lines)
        lines.clear()

    if holders is not None:
        if start is not None:
            restore_state(holders, start)
        out.before = leakage_state(holders)
        if calls is not None:
            calls.called.clear()
    with capturing(lines), warnings.catch_warnings():
        warnings.showwarning = record
        try:
            out.perf = evaluate(i)
        except Exception as exc:  # raised again, in order, by the caller
            out.error = exc
    flush_lines()
    if holders is not None:
        out.after = leakage_state(holders)
        out.written = written_numbers(holders, out.before, out.after, calls)
    return out


def again(evaluate: Callable[[int], Any], i: int, old: Outcome,
          holders: list[tuple[Any, str]], calls: PowerCalls | None = None) -> Outcome:
    """Layer ``i`` evaluated once more here (``old`` saw other leakage numbers than the
    serial run would: the caller has restored them), keeping the notices ``old`` told
    when it ran in this process (a trace parsed then is not parsed again)."""
    new = run_layer(evaluate, i, holders, None, calls)
    if old.pid == os.getpid():
        kept = [e for e in old.events if e[0] == "say" and e not in new.events]
        new.events = kept + new.events
    return new


def tell(outcome: Outcome, registry: dict) -> None:
    """Print a layer's captured notices as the serial run does (warnings through the
    filters and the installed ``showwarning``, each distinct one once per ``registry``)."""
    for event in outcome.events:
        if event[0] == "say":
            say(event[1])
        else:
            _, message, category, filename, lineno = event
            warnings.warn_explicit(message, category, filename, lineno, registry=registry)


def _taken(queue_r: int) -> Iterator[int]:
    """The layer indices this process takes from the queue, until it is empty."""
    while True:
        data = os.read(queue_r, _RECORD.size)
        if len(data) < _RECORD.size:
            return
        yield _RECORD.unpack(data)[0]


def _child(evaluate: Callable[[int], Any], queue_r: int, result_r: int, result_w: int,
           holders: list[tuple[Any, str]] | None,
           starts: Sequence[tuple[float, ...]] | None, calls: PowerCalls | None) -> None:
    """The forked process: take layers until the queue is empty or one raises, send the
    outcomes of those that did not, exit without running the parent's exit handlers."""
    code = 1
    try:
        os.close(result_r)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)  # the parent's handlers clean up its files
        done: dict[int, bytes] = {}
        for i in _taken(queue_r):
            outcome = run_layer(evaluate, i, holders,
                                None if starts is None else starts[i], calls)
            if outcome.error is not None:
                break  # the parent evaluates it again and raises it, in order
            with contextlib.suppress(Exception):  # not picklable: the parent evaluates it
                done[i] = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(result_w, "wb") as f:
            f.write(pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL))
        code = 0
    except BaseException:  # the parent evaluates what it did not receive
        pass
    finally:
        os._exit(code)


def _received(fd: int) -> dict[int, Outcome]:
    """The child's outcomes, read to the end of its pipe (nothing when it died or sent
    something unreadable)."""
    chunks: list[bytes] = []
    with contextlib.suppress(OSError):
        while True:
            data = os.read(fd, 1 << 20)
            if not data:
                break
            chunks.append(data)
    out: dict[int, Outcome] = {}
    try:
        kept = pickle.loads(b"".join(chunks)) if chunks else {}
        for i, blob in kept.items():
            with contextlib.suppress(Exception):
                outcome = pickle.loads(blob)
                if isinstance(outcome, Outcome):
                    out[int(i)] = outcome
    except Exception:
        return {}
    return out


def _reap(pid: int) -> None:
    """Wait for the child; kill it first if it still runs (the parent stops early)."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass
