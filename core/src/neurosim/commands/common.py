"""Options and helpers shared by the model-driven commands (``estimate``, ``traces``,
``network``). Torch is imported only inside the command bodies."""

from __future__ import annotations

import math
import os
from typing import Any, Callable

import click

from ..config import Config, load_config
from ..plugins import get_host


def build_config(config_files: tuple[str, ...], overrides: tuple[str, ...]) -> Config:
    """The validated configuration, with the node and device checked against plugins."""
    cfg = load_config(config_files, overrides).validate()
    from ..validation import check_components, notices

    check_components(cfg, get_host().registry)
    from ..held_notices import say

    for line in notices(cfg):
        say(line)
    return cfg


def reject_unused(options: list[str], needs: str) -> None:
    """Refuse the ``options`` (flag names such as ``--device``) given on the command line
    when ``needs`` is absent: an option that would be ignored is an error, never silent."""
    from ..errors import NeuroSimError

    ctx = click.get_current_context()
    given = []
    for param in ctx.command.params:
        if isinstance(param, click.Option) and any(o in options for o in param.opts):
            if ctx.get_parameter_source(param.name) in (
                    click.core.ParameterSource.COMMANDLINE,
                    click.core.ParameterSource.ENVIRONMENT):
                given.append(max(param.opts, key=len))
    if given:
        raise NeuroSimError(f"{' and '.join(given)} appl{'ies' if len(given) == 1 else 'y'} "
                            f"only with {needs}; add {needs} or drop "
                            f"{'it' if len(given) == 1 else 'them'}")


def model_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--network/--model/--checkpoint/--data/--batch/--input-shape/--config/--set."""
    opts = [
        click.option("--network", "-n", "network", metavar="NAME",
                     help="A registered network (neurosim plugins --kind network)."),
        click.option("--model", "model_ref", metavar="MODULE:FUNCTION",
                     help="Any torch.nn.Module built of Conv2d/Linear layers: a function "
                          "returning the model, or (model, example_inputs)."),
        click.option("--checkpoint", type=click.Path(dir_okay=True),
                     help="Trained weights for --network (default: seeded random weights)."),
        click.option("--data", metavar="KIND:ARG",
                     help="random:N (default random:1), cifar10:PATH, imagenet:PATH, "
                          "sst2:PATH; the first item is traced, as in the wrapper."),
        click.option("--batch", type=int, default=1, show_default=True,
                     help="Items to load from a data set (only the first is traced)."),
        click.option("--input-shape", metavar="C,H,W",
                     help="Input shape of one item for --model functions returning only "
                          "the model."),
        click.option("--net-option", "net_options", multiple=True, metavar="KEY=VALUE",
                     help="A network factory option (repeatable), e.g. merged=1, "
                          "adapter=PATH, lora_r=16 for roberta-lora."),
        click.option("--config", "config_files", multiple=True, type=click.Path(),
                     help="TOML/YAML configuration file (repeatable)."),
        click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
                     help="Override one option; Param.cpp names and codes are accepted."),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


def parse_net_options(items: tuple[str, ...]) -> dict[str, Any]:
    from ..errors import NeuroSimError

    import math

    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise NeuroSimError(f"--net-option {item!r}: expected KEY=VALUE")
        if key in out:
            raise NeuroSimError(f"--net-option {item}: {key} is already set by --net-option "
                                f"{key}={out[key]}; give it once")
        out[key] = _value(value.strip())
        if isinstance(out[key], float) and not math.isfinite(out[key]):
            raise NeuroSimError(f"--net-option {item}: must be a finite number")
    return out


def _value(text: str) -> Any:
    """``--net-option`` value: int, float, true/false, or the string."""
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


#: the most elements of one --input-shape item (2**24: 64 MiB of float32), and of the
#: --batch items generated from it (2**27: 512 MiB); the captured activations are larger
MAX_INPUT_ELEMENTS = 2**24
MAX_BATCH_ELEMENTS = 2**27


def check_input_shape(text: str | None, batch: int = 1, names: tuple[str, str] = (
        "--input-shape", "--batch")) -> None:
    """Refuse an ``--input-shape`` whose items (times ``--batch``) would not fit in memory,
    before anything is built (torch-free; the format as ``parse_shape`` checks it).
    ``names``: how the two are spelt where they were given (a sweep spec's keys)."""
    from ..errors import NeuroSimError

    if not text:
        return
    try:
        sizes = [int(v) for v in str(text).replace("x", ",").split(",") if v.strip()]
    except ValueError:
        raise NeuroSimError(f"{names[0]} {text!r}: expected numbers like 3,32,32") from None
    if not sizes or min(sizes) < 1:
        raise NeuroSimError(f"{names[0]} {text!r}: sizes must be positive")
    n = math.prod(sizes)
    if n > MAX_INPUT_ELEMENTS:
        raise NeuroSimError(f"{names[0]} {text}: {n:,} elements per item; at most "
                            f"{MAX_INPUT_ELEMENTS:,} (2**24) are accepted (the inputs and "
                            "the captured activations are held in memory)")
    if n * max(batch, 1) > MAX_BATCH_ELEMENTS:
        raise NeuroSimError(f"{names[0]} {text} with {names[1]} {batch}: {n * batch:,} "
                            f"elements; at most {MAX_BATCH_ELEMENTS:,} (2**27) are generated "
                            f"at once (lower {names[1]}: only the first item is traced)")


def option_input_files(model_ref: str | None = None, data: str | None = None,
                       cfg: Config | None = None) -> list[str]:
    """The files a command reads besides --config and --checkpoint, which no output may
    overwrite: the ``file.py`` of ``--model file.py:function``, the PATH of ``--data
    KIND:PATH`` and the configuration's CSV options (``mem_states_file``,
    ``output_noise_file``). ``estimate --model m.py:build --json m.py`` wrote the result
    over the model's source before."""
    out = []
    if model_ref:
        module, sep, _ = model_ref.rpartition(":")
        if sep and module.endswith(".py"):
            out.append(module)
    if data:
        kind, sep, arg = data.partition(":")
        if sep and kind.strip().lower() not in ("random", "digits") and arg.strip():
            out.append(arg.strip())
    if cfg is not None:
        out += [os.path.expanduser(str(getattr(cfg, name)))
                for name in ("mem_states_file", "output_noise_file")
                if getattr(cfg, name, "")]
    return out


def prepare_from_options(network: str | None, model_ref: str | None, checkpoint: str | None,
                         data: str | None, batch: int, input_shape: str | None,
                         cfg: Config, net_options: tuple[str, ...] = ()) -> Any:
    """Build the model and capture it (imports torch)."""
    from ..datasets import parse_data
    from ..errors import NeuroSimError

    if network is None and model_ref is None:
        raise NeuroSimError("give --network NAME (see `neurosim plugins --kind network`) or "
                            "--model module:function")
    check_input_shape(input_shape, batch)
    try:
        from ..nn.pipeline import parse_shape, prepare
    except ImportError as exc:
        raise NeuroSimError(f"model-driven commands need PyTorch ({exc}); install torch") \
            from None
    return prepare(cfg, network=network, model_ref=model_ref, checkpoint=checkpoint,
                   data=parse_data(data, batch), input_shape=parse_shape(input_shape),
                   net_options=parse_net_options(net_options))


#: the most BLAS threads ``--blas-threads`` / ``$NEUROSIM_BLAS_THREADS`` may ask for
MAX_BLAS_THREADS = 1024
ENV_BLAS_THREADS = "NEUROSIM_BLAS_THREADS"


def check_blas_threads(ctx: click.Context, param: click.Parameter,
                       value: int | None) -> int | None:
    """``--blas-threads`` (or, without it, ``$NEUROSIM_BLAS_THREADS``) in 0 ..
    MAX_BLAS_THREADS; 0 = the library's default."""
    from ..errors import NeuroSimError

    given = f"--blas-threads {value}"
    if value is None:
        import os

        text = os.environ.get(ENV_BLAS_THREADS, "").strip()
        given = f"{ENV_BLAS_THREADS}={text}"
        try:
            value = int(text) if text else None
        except ValueError:
            return None  # the engine names the malformed variable
    if value is not None and not 0 <= value <= MAX_BLAS_THREADS:
        raise NeuroSimError(f"{given}: give 0 (the BLAS library's default) to "
                            f"{MAX_BLAS_THREADS} threads")
    return None if given.startswith(ENV_BLAS_THREADS) else value


def check_engine_threads(ctx: click.Context, param: click.Parameter,
                         value: int | None) -> int | None:
    """``--threads`` (or, without it, ``$NEUROSIM_THREADS``) in 1 .. MAX_THREADS."""
    from ..engine.threads import ENV, MAX_THREADS
    from ..errors import NeuroSimError

    if value is None:
        import os

        text = os.environ.get(ENV, "").strip()
        if text and not (text.isdigit() and 1 <= int(text) <= MAX_THREADS):
            raise NeuroSimError(f"{ENV}={text}: give a whole number of threads, 1 to "
                                f"{MAX_THREADS}")
        return None
    if not 1 <= value <= MAX_THREADS:
        raise NeuroSimError(f"--threads {value}: give 1 to {MAX_THREADS} threads")
    return value


def threads_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--threads (engine threads: weight traces parsed ahead of their layers), for the
    commands that read trace files."""
    return click.option("--threads", "threads", type=int, default=None, metavar="N",
                        callback=check_engine_threads,
                        help="Threads that parse the weight traces ahead of their layers "
                             "(default: the cores available, at most 8, or "
                             "$NEUROSIM_THREADS; 1 = none; the figures do not depend on "
                             "it).")(func)


def engine_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--force (past the cost guard) and --blas-threads, shared by estimate and compat."""
    func = click.option("--blas-threads", type=int, default=None, metavar="N",
                        callback=check_blas_threads,
                        help="Threads of the BLAS library during the estimate (default 1, or "
                             "$NEUROSIM_BLAS_THREADS; 0 = the library's default; at most "
                             f"{MAX_BLAS_THREADS}).")(func)
    return click.option("--force", is_flag=True,
                        help="Run even when the predicted work exceeds the cost guard's "
                             "limit.")(func)


def progress_printer(quiet: bool) -> Callable[[str], None]:
    """``[neurosim] ...`` status lines on stderr, as the progress bar: only when stderr is a
    terminal and not ``--quiet`` (no status lines in logs or before an Error line)."""
    from ..progress import stderr_is_terminal

    show = not quiet and stderr_is_terminal()

    def say(msg: str) -> None:
        if show:
            click.echo(f"[neurosim] {msg}", err=True)
    return say


def layer_table_text(rows: list[tuple[int, ...]], names: list[str]) -> str:
    """The layer table as aligned text with NeuroSim's column names."""
    head = ("#", "layer", "IFM_H", "IFM_W", "Cin", "K_H", "K_W", "Cout", "pool", "stride")
    body = [(str(i + 1), names[i], *(str(v) for v in r)) for i, r in enumerate(rows)]
    widths = [max(len(h), *(len(b[j]) for b in body)) for j, h in enumerate(head)]
    lines = ["  ".join(h.rjust(w) if j != 1 else h.ljust(w) for j, (h, w) in
                       enumerate(zip(head, widths)))]
    for b in body:
        lines.append("  ".join(c.rjust(w) if j != 1 else c.ljust(w) for j, (c, w) in
                               enumerate(zip(b, widths))))
    return "\n".join(lines)


def table_csv(rows: list[tuple[int, ...]]) -> str:
    """NetWork.csv text (one row per layer, no header)."""
    return "".join(",".join(str(v) for v in r) + "\n" for r in rows)
