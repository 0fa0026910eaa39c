"""The ``--data KIND:ARG`` value, parsed (no torch, no file access)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import NeuroSimError

#: data set kinds and what ARG is
KINDS = {
    "random": "N seeded synthetic inputs from the network's own generator",
    "digits": "scikit-learn's bundled handwritten digits: digits:train or digits:test",
    "cifar10": "a CIFAR-10 python-pickle folder (test_batch, data_batch_1..5)",
    "cifar100": "a CIFAR-100 python-pickle folder (test, train)",
    "imagenet": "an image folder with one sub-folder per class (ImageNet val layout)",
    "sst2": "GLUE SST-2 (dev.tsv folder, save_to_disk folder, or a CSV/TSV/JSON/parquet file)",
    "text": "any labelled text set in the formats of sst2 (name the fields with "
            "--text-field/--label-field)",
}
IMAGE_KINDS = ("digits", "cifar10", "cifar100", "imagenet")
TEXT_KINDS = ("sst2", "text")
DIGITS_SPLITS = ("train", "test")


@dataclass(frozen=True)
class DataSpec:
    """A parsed ``--data`` value plus the options that select from it.

    ``count``: items of a ``random`` set, and the items :func:`load_data` reads from a
    file set for a trace (``estimate --batch``); ``limit``: score only the first ``limit`` items
    (None = every item); ``split``/``text_field``/``label_field``: None = the kind's
    default (test / validation split; ``sentence`` and ``label`` fields).
    """

    kind: str
    path: str = ""
    count: int = 1
    limit: int | None = None
    split: str | None = None
    text_field: str | None = None
    label_field: str | None = None

    @property
    def max_items(self) -> int | None:
        """How many items to read at most (None: all)."""
        if self.kind == "random":
            return self.count
        return self.limit

    def describe(self) -> str:
        if self.kind == "random":
            return f"{self.count} seeded random input(s)"
        n = "every item" if self.limit is None else f"first {self.limit} item(s)"
        return f"{self.kind} from {self.path} ({n})"


#: the kinds ``--split`` selects from (digits take the split in --data, random has none)
SPLIT_KINDS = ("cifar10", "cifar100", "imagenet", *TEXT_KINDS)


def _check_text_fields(value: str, kind: str, text_field: str | None,
                       label_field: str | None) -> None:
    """--text-field / --label-field name columns of a text table: refused for other data
    (they would be ignored)."""
    given = [o for o, v in (("--text-field", text_field), ("--label-field", label_field))
             if v is not None]
    if given and kind not in TEXT_KINDS:
        raise NeuroSimError(f"{' and '.join(given)} appl{'ies' if len(given) == 1 else 'y'} "
                            f"only to text data ({', '.join(k + ':PATH' for k in TEXT_KINDS)}),"
                            f" not to --data {value}")


def check_split(spec: DataSpec, value: str | None, split: str | None) -> None:
    """A ``--split`` the user gave must select from the data set: refused for random data
    and for digits, whose split is part of --data (it would be ignored)."""
    if split is None or spec.kind in SPLIT_KINDS:
        return
    if spec.kind == "digits":
        raise NeuroSimError(f"--split {split}: digits data take the split in --data "
                            "(digits:train or digits:test); --split applies to "
                            f"{', '.join(SPLIT_KINDS)} data")
    raise NeuroSimError(f"--split {split}: --data {value or 'random:1'} has no splits; "
                        f"--split applies to {', '.join(SPLIT_KINDS)} data")


#: the largest random:N (issue 16: random:99999999999999999999 crashed numpy)
MAX_RANDOM_ITEMS = 100_000


def parse_data(value: str | None, count: int = 1, *, limit: int | None = None,
               split: str | None = None, text_field: str | None = None,
               label_field: str | None = None) -> DataSpec:
    """``random:N`` / ``digits:train|test`` / ``cifar10:PATH`` / ``cifar100:PATH`` /
    ``imagenet:PATH`` / ``sst2:PATH`` / ``text:PATH``; None = ``random:count``.

    ``count``: the items ``load_data`` reads for a trace (``estimate --batch``; the first
    is traced); ``limit``: the items ``neurosim accuracy`` scores (None = every item;
    ``random:N`` is cut to N <= limit)."""
    if count < 1:
        raise NeuroSimError(f"--batch {count}: must be at least 1")
    if count > MAX_RANDOM_ITEMS:
        raise NeuroSimError(f"--batch {count}: must be at most {MAX_RANDOM_ITEMS} (the "
                            "items are loaded in memory)")
    if limit is not None and limit < 1:
        raise NeuroSimError(f"--limit {limit}: must be at least 1")
    if not value:
        _check_text_fields("random:1", "random", text_field, label_field)
        return DataSpec("random", "", count)
    kind, sep, arg = value.partition(":")
    kind = kind.strip().lower()
    if kind not in KINDS or not sep:
        raise NeuroSimError(f"--data {value!r}: expected KIND:ARG with KIND one of "
                            f"{', '.join(KINDS)} (e.g. random:8, digits:test, "
                            "cifar10:PATH)")
    _check_text_fields(value, kind, text_field, label_field)
    if kind == "random":
        try:
            n = int(arg)
        except ValueError:
            raise NeuroSimError(f"--data {value!r}: N must be a whole number") from None
        if n < 1:
            raise NeuroSimError(f"--data {value!r}: N must be at least 1")
        if n > MAX_RANDOM_ITEMS:  # the items are generated in memory at once
            raise NeuroSimError(f"--data {value!r}: N must be at most {MAX_RANDOM_ITEMS} "
                                "(random items are generated in memory)")
        if limit is not None:
            n = min(n, limit)
        return DataSpec("random", "", n)
    if not arg:
        raise NeuroSimError(f"--data {value!r}: give the folder after '{kind}:'")
    if kind == "digits":
        arg = arg.strip().lower()
        if arg not in DIGITS_SPLITS:
            raise NeuroSimError(f"--data {value!r}: expected digits:train or digits:test")
        return DataSpec(kind, arg, count, limit, arg, None, None)
    return DataSpec(kind, os.path.expanduser(arg), count, limit, split, text_field,
                    label_field)
