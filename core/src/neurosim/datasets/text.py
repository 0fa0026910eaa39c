"""GLUE-style labelled text sets, read through the ``datasets`` library.

``PATH`` may be

* a ``datasets`` ``save_to_disk`` folder (a ``DatasetDict``: ``--split`` picks the split,
  default ``validation``; or a single ``Dataset``);
* a folder of split files: ``SPLIT.tsv|csv|json|jsonl|parquet`` (``validation`` is also
  found as ``dev.*``, as GLUE names it; also in a ``SST-2`` sub-folder);
* one CSV, TSV, JSON/JSON-lines or parquet file (the file is the split).

Fields: ``--text-field`` (default ``sentence``), ``--label-field`` (default ``label``;
integer classes). A set without the label field, or whose labels are all -1 (GLUE test
splits), is unlabelled: accuracy is then the agreement with the software predictions.
TSV files are read without quote processing (GLUE sentences contain bare quotes).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import NeuroSimError
from .base import Dataset

FORMATS = {".tsv": "csv", ".csv": "csv", ".json": "json", ".jsonl": "json",
           ".parquet": "parquet"}
GLUE_HINT = ("download https://dl.fbaipublicfiles.com/glue/data/SST-2.zip and unzip it so "
             "that {p}/dev.tsv exists, or on a machine with network access run: python -c "
             "\"import datasets; datasets.load_dataset('glue', 'sst2').save_to_disk('{p}')\"")


def _datasets() -> Any:
    try:
        import datasets
    except ImportError:
        raise NeuroSimError("text data sets need the `datasets` package (pip install "
                            "datasets; `make install` installs it)") from None
    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    return datasets


def _split_file(folder: Path, split: str) -> Path | None:
    names = [split] + (["dev", "val"] if split == "validation" else [])
    for base in (folder, folder / "SST-2"):
        for name in names:
            for ext in FORMATS:
                if (base / f"{name}{ext}").is_file():
                    return base / f"{name}{ext}"
    return None


def _read_file(file: Path) -> Any:
    hf = _datasets()
    builder = FORMATS.get(file.suffix.lower())
    if builder is None:
        raise NeuroSimError(f"{file}: unknown text format {file.suffix!r} (expected "
                            f"{', '.join(FORMATS)})")
    kwargs: dict[str, Any] = {}
    if file.suffix.lower() == ".tsv":
        kwargs = {"delimiter": "\t", "quoting": csv.QUOTE_NONE}
    with tempfile.TemporaryDirectory(prefix="neurosim-text-") as cache:
        try:
            return hf.load_dataset(builder, data_files=str(file), split="train",
                                   cache_dir=cache, keep_in_memory=True, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the builders raise pandas, arrow, json errors
            raise NeuroSimError(f"{file}: cannot read it as {builder} ({type(exc).__name__}: "
                                f"{str(exc).splitlines()[0][:300] if str(exc) else ''})") \
                from None


def read_table(path: str, split: str) -> tuple[Any, str]:
    """The rows of ``split`` under ``path`` (a ``datasets.Dataset``) and what was read."""
    p = Path(path)
    if p.is_file():
        return _read_file(p), str(p)
    if (p / "dataset_dict.json").is_file() or (p / "dataset_info.json").is_file() \
            or (p / "state.json").is_file():
        hf = _datasets()
        try:
            ds = hf.load_from_disk(str(p))
        except Exception as exc:  # noqa: BLE001 - arrow and json errors
            raise NeuroSimError(f"{path}: cannot load the saved data set "
                                f"({type(exc).__name__}: {exc})") from None
        if hasattr(ds, "keys"):
            if split not in ds:
                raise NeuroSimError(f"--split {split!r}: {path} has the splits "
                                    f"{', '.join(ds.keys())}")
            ds = ds[split]
        return ds, f"{p} (save_to_disk, split {split})"
    if p.is_dir():
        f = _split_file(p, split)
        if f is not None:
            return _read_file(f), str(f)
    raise NeuroSimError(f"text data set (split {split!r}) not found under {path}: give a "
                        "save_to_disk folder, a folder with SPLIT.tsv/csv/json/parquet (GLUE: "
                        "dev.tsv), or one such file; for GLUE SST-2 "
                        + GLUE_HINT.format(p=path))


def open_text(kind: str, path: str, split: str | None, text_field: str | None,
              label_field: str | None, encode: Callable[[list[str]], Any],
              limit: int | None = None) -> Dataset:
    """A labelled text set; ``encode(sentences)`` makes model inputs, one batch at a time."""
    import torch

    split = split or "validation"
    table, source = read_table(path, split)
    columns = list(table.column_names)
    tf = text_field or "sentence"
    if tf not in columns:
        raise NeuroSimError(f"--text-field {tf!r}: {source} has the fields "
                            f"{', '.join(columns)}")
    n = len(table) if limit is None else min(limit, len(table))
    if n == 0:
        raise NeuroSimError(f"{source}: no rows")
    sentences = [str(s) for s in table[tf][:n]]
    lf = label_field or "label"
    labels, classes = None, None
    if lf in columns:
        raw = list(table[lf][:n])
        try:
            values = [int(v) for v in raw]
        except (TypeError, ValueError):
            raise NeuroSimError(f"--label-field {lf!r}: {source} holds non-integer labels "
                                f"(e.g. {raw[0]!r}); give integer classes") from None
        feature = table.features.get(lf)
        classes = getattr(feature, "num_classes", None)
        if any(v != -1 for v in values):
            if min(values) < 0:
                raise NeuroSimError(f"{source}: label {min(values)} in field {lf!r} is "
                                    "negative")
            labels = torch.tensor(values, dtype=torch.int64)
            classes = classes or max(values) + 1
    elif label_field is not None:
        raise NeuroSimError(f"--label-field {lf!r}: {source} has the fields "
                            f"{', '.join(columns)}")

    def read(start: int, stop: int) -> Any:
        return encode(sentences[start:stop])

    def take(indices: Any) -> Any:
        return encode([sentences[int(i)] for i in indices])

    return Dataset(kind, path, split, n, read, labels, classes, None,
                   {"file": source, "text_field": tf, "label_field": lf}, take)


def load_sst2(path: str, n: int) -> list[str]:
    """The first ``n`` SST-2 validation sentences."""
    table, _ = read_table(path, "validation")
    if "sentence" not in table.column_names:
        raise NeuroSimError(f"{path}: expected the GLUE SST-2 field 'sentence' (found "
                            f"{', '.join(table.column_names)})")
    return [str(s) for s in table["sentence"][:n]]
