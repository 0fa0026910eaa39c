"""``neurosim train`` end to end: network and data sets, progress bar, checkpoint.

The checkpoint is ``{"state_dict": ..., "neurosim": {...}}`` written atomically with
``torch.save``; the ``neurosim`` entry records the network, the training settings, the data
set and the last epoch's figures. :func:`neurosim.networks.load_state_dict_file` (every
``--checkpoint``) reads the state dict from it.
"""

from __future__ import annotations

import io
from dataclasses import asdict
from typing import Any

import torch

from ..errors import NeuroSimError
from .loop import EpochRecord, TrainResult, TrainSettings, train_model


def _open(spec: Any, value: str, settings: TrainSettings, checkpoint: str | None,
          net_options: dict[str, Any], limit: int | None, split: str | None,
          text_field: str | None, label_field: str | None,
          default_split: str | None, option: str = "--data") -> Any:
    from ..datasets import open_dataset, parse_data
    from ..datasets.spec import check_split

    try:
        data = parse_data(value, 1, limit=limit, split=split or default_split,
                          text_field=text_field, label_field=label_field)
    except NeuroSimError as exc:  # parse_data names --data; name --val-data where given
        if option == "--data" or not str(exc).startswith("--data "):
            raise
        raise NeuroSimError(option + str(exc)[len("--data"):]) from None
    if data.kind == "random":
        raise NeuroSimError(f"{option} {value}: training needs a labelled data set "
                            "(digits:train, cifar10:PATH, ...)")
    check_split(data, value, split)  # a --split the user gave that would be ignored
    return open_dataset(spec, data, settings.seed, checkpoint, net_options=net_options)


def build_for_training(spec: Any, settings: TrainSettings, checkpoint: str | None,
                       net_options: dict[str, Any]) -> Any:
    """The network with the training precisions, software forward (inference=0)."""
    torch.manual_seed(settings.seed)
    spec.check_options(net_options)
    try:
        return spec.build(mode=settings.mode, wl_weight=settings.wl_weight,
                          wl_activate=settings.wl_activate, checkpoint=checkpoint,
                          inference=0, wl_error=settings.wl_error, **net_options)
    except TypeError as exc:
        raise NeuroSimError(f"network {spec.name!r} cannot be built for training with "
                            f"{sorted(net_options) or 'these options'}: {exc}") from None


def save_checkpoint(path: str, model: Any, meta: dict[str, Any]) -> None:
    """``torch.save({"state_dict", "neurosim"})`` to ``path`` atomically."""
    from ..outputs import write_atomic

    buf = io.BytesIO()
    torch.save({"state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
                "neurosim": meta}, buf)
    write_atomic(path, buf.getvalue())


def run_training(network: str, data: str, val_data: str | None, settings: TrainSettings,
                 *, out_path: str, checkpoint: str | None = None,
                 net_options: tuple[str, ...] = (), device: str = "cpu", quiet: bool = False,
                 limit: int | None = None, split: str | None = None,
                 text_field: str | None = None, label_field: str | None = None,
                 threads: int = 0) -> TrainResult:
    """Train ``network`` on ``data`` and write the checkpoint (module doc); ``threads``:
    torch's CPU threads during the run (0: unchanged)."""
    from ..commands.common import MAX_BLAS_THREADS

    if not 0 <= threads <= MAX_BLAS_THREADS:  # 100000 crashed torch (SIGSEGV)
        raise NeuroSimError(f"--threads {threads}: give 0 (torch's default) to "
                            f"{MAX_BLAS_THREADS}")
    before = torch.get_num_threads()
    if threads:
        torch.set_num_threads(threads)
    try:
        return _run(network, data, val_data, settings, out_path, checkpoint, net_options,
                    device, quiet, limit, split, text_field, label_field)
    finally:
        torch.set_num_threads(before)


def _run(network: str, data: str, val_data: str | None, settings: TrainSettings,
         out_path: str, checkpoint: str | None, net_options: tuple[str, ...], device: str,
         quiet: bool, limit: int | None, split: str | None, text_field: str | None,
         label_field: str | None) -> TrainResult:
    from ..commands.common import parse_net_options
    from ..networks import get_network
    from ..progress import progress_bar

    if device.startswith("cuda") and not torch.cuda.is_available():
        raise NeuroSimError("--device cuda: no CUDA device is available to torch here")
    spec = get_network(network)
    if (spec.extra or {}).get("checkpoint_format") == "folder":
        raise NeuroSimError(f"network {spec.name!r} loads its checkpoints from model "
                            "folders; neurosim train writes state-dict files and cannot "
                            "train it")
    opts = parse_net_options(net_options)
    train_set = _open(spec, data, settings, checkpoint, opts, limit, split, text_field,
                      label_field, "train")
    val_set = _open(spec, val_data, settings, checkpoint, opts, None, None, text_field,
                    label_field, None, "--val-data") if val_data else None
    if val_set is not None and val_set.labels is None:
        raise NeuroSimError(f"--val-data {val_data}: has no labels")
    model = build_for_training(spec, settings, checkpoint, opts)
    with progress_bar(total=settings.epochs, description="train", unit="epoch",
                      quiet=quiet) as bar:
        def step(rec: EpochRecord) -> None:
            text = f"loss {rec.loss:.4g}, acc {100 * rec.train_accuracy:.1f} %"
            if rec.val_accuracy is not None:
                text += f", val {100 * rec.val_accuracy:.1f} %"
            bar.advance(1, status=text)

        res = train_model(model, train_set, settings, device=device, val_set=val_set,
                          network=spec.name, progress=step)
    last = res.history[-1]
    meta = {"network": spec.name, "settings": {k: (list(v) if isinstance(v, tuple) else v)
                                               for k, v in asdict(settings).items()},
            "data": train_set.provenance(), "net_options": dict(opts),
            "epochs": len(res.history), "train_accuracy": last.train_accuracy,
            "val_accuracy": last.val_accuracy, "loss": last.loss}
    save_checkpoint(out_path, model, _plain(meta))
    return res


def _plain(obj: Any) -> Any:
    """Only str/int/float/bool/None/list/dict (``torch.load(weights_only=True)`` safe)."""
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    return str(obj)
