"""The sweep spec file (TOML, or YAML with the same tables) and its expansion into rows.

    network = "vgg8"            # or model = "module:function" / traces = "DIR"
    data = "random:1"           # as --data; checkpoint = "PATH" as --checkpoint
    [base]                      # configuration keys, exactly as --set takes them
    [grid]                      # key = [values ...]: the cartesian product
    [[points]]                  # explicit extra configurations (repeatable)
    [random]                    # samples = N, seed = S, key = [choices] or {min, max, log}
    [objectives]                # maximize = [...], minimize = [...]

Every value is checked when the file is read, so a typo is an error naming the file, the
table and the key, never a failed row. A row is the base configuration with its axis values
applied; its id is a stable hash of the effective configuration and the shared inputs.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

from ..config import Config, resolve_name, set_options
from ..errors import ConfigError, NeuroSimError
from ..validation import check_components, check_range

TOP_KEYS = ("network", "model", "traces", "data", "checkpoint", "batch", "input_shape",
            "net_options", "accuracy", "accuracy_mode", "base", "grid", "points", "random",
            "objectives", "memo_mb")


#: options naming a plugin component, checked against the installed plugins when read
COMPONENT_OPTIONS = ("tech", "device", "global_bus", "adc")

#: most configurations one sweep expands to (grid product, points and random samples);
#: at about 1 s per configuration (docs/sweeps.md) this is more than a day of CPU time
MAX_ROWS = 100_000


class SpecError(NeuroSimError):
    """A malformed spec file; the message names the file, the table and the key."""


@dataclass(frozen=True)
class Row:
    """One configuration of the sweep: its axis values (spec names) and effective options."""

    config_id: str
    axes: dict[str, Any]
    options: dict[str, Any]


@dataclass
class SweepSpec:
    """A validated spec file."""

    path: str
    source: dict[str, Any]  # network / model / traces, data, checkpoint, ... (the inputs)
    base: dict[str, Any] = field(default_factory=dict)
    grid: dict[str, list[Any]] = field(default_factory=dict)
    points: list[dict[str, Any]] = field(default_factory=list)
    random: dict[str, Any] = field(default_factory=dict)
    maximize: list[str] = field(default_factory=list)
    minimize: list[str] = field(default_factory=list)
    accuracy: bool = False
    accuracy_mode: str = "default"
    memo_mb: int | None = None  # statistics memo budget per worker (as --memo-mb)
    #: spec spelling of each axis -> option name, in the order the axes appear
    axis_names: dict[str, str] = field(default_factory=dict)

    @property
    def objectives(self) -> list[tuple[str, str]]:
        """``(figure, "max"|"min")`` pairs."""
        return [(k, "max") for k in self.maximize] + [(k, "min") for k in self.minimize]

    def base_config(self) -> Config:
        return set_options(Config(), self.base)

    def expand(self) -> list[Row]:
        """Grid rows, then points, then random samples; a configuration that equals an
        earlier one (same id) is kept once."""
        base = self.base_config()
        combos: list[dict[str, Any]] = []
        if self.grid:
            keys = list(self.grid)
            combos += [dict(zip(keys, vals)) for vals in
                       itertools.product(*(self.grid[k] for k in keys))]
        combos += [dict(p) for p in self.points]
        combos += _random_samples(self.random)
        if not combos:
            combos = [{}]
        rows: dict[str, Row] = {}
        ident = self.source_identity()
        for combo in combos:
            cfg = set_options(base, combo)
            opts = cfg.to_dict()
            cid = config_id(opts, ident)
            if cid not in rows:
                axes = {name: opts[opt] if opt in opts else combo.get(name)
                        for name, opt in self.axis_names.items()}
                rows[cid] = Row(cid, axes, opts)
        return list(rows.values())

    def source_identity(self) -> dict[str, Any]:
        """What the shared inputs depend on besides the configuration."""
        return {k: self.source.get(k) for k in sorted(self.source)}


def config_id(options: Mapping[str, Any], source: Mapping[str, Any]) -> str:
    """Stable hash (sha256, 16 hex digits) of the effective options and the inputs."""
    text = json.dumps({"config": options, "source": source}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# ----------------------------------------------------------------------------- reading

def read_spec_file(path: str | Path) -> dict[str, Any]:
    from ..files import read_text

    p = Path(path)
    try:  # size limit, and a non-UTF-8 file named (not a UnicodeDecodeError)
        text = read_text(p, "spec")
    except NeuroSimError as exc:
        raise SpecError(str(exc)) from None
    except OSError as exc:
        raise SpecError(f"{p}: cannot read the spec file ({exc.strerror or exc})") from None
    try:
        data = _parse_spec_text(p, text)
    except RecursionError:  # [[[[...]]]] 50,000 deep: an internal error before
        raise SpecError(f"{p}: nested too deeply to be a spec file") from None
    if not isinstance(data, dict):
        raise SpecError(f"{p}: expected a table of spec keys")
    return data


def _parse_spec_text(p: Path, text: str) -> Any:
    """The YAML (``.yaml``/``.yml``) or TOML text of spec file ``p``."""
    from ..config import _yaml_loader

    if p.suffix in (".yaml", ".yml"):
        import yaml

        try:  # a key given twice is refused, as in configuration files
            data = yaml.load(text, Loader=_yaml_loader()) or {}
        except ConfigError as exc:
            raise SpecError(f"{p}, {exc}") from None
        except yaml.YAMLError as exc:
            raise SpecError(f"{p}: invalid YAML: {exc}") from None
    else:
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            import tomli as tomllib  # type: ignore
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SpecError(f"{p}: invalid TOML: {exc}") from None
    return data


def load_spec(path: str | Path) -> SweepSpec:
    """Read and validate a spec file (see the module doc)."""
    data = read_spec_file(path)
    where = str(path)
    unknown = [k for k in data if k not in TOP_KEYS]
    if unknown:
        raise SpecError(f"{where}: unknown key {unknown[0]!r}; a spec has "
                        f"{', '.join(TOP_KEYS)}")
    source = _source(data, where)
    spec = SweepSpec(path=where, source=source)
    spec.accuracy = _bool(data.get("accuracy", False), where, "accuracy")
    spec.accuracy_mode = str(data.get("accuracy_mode", "default"))
    if spec.accuracy_mode not in ("default", "parity"):
        raise SpecError(f"{where}: accuracy_mode = {spec.accuracy_mode!r}: use default or "
                        "parity")
    if "memo_mb" in data:
        from .runner import check_memo_mb

        try:
            spec.memo_mb = check_memo_mb(data["memo_mb"], "memo_mb")
        except NeuroSimError as exc:
            raise SpecError(f"{where}: {exc}") from None
    checker = _ValueChecker(where, spec.axis_names)
    spec.base = checker.options(_table(data, "base", where), "[base]", axis=False)
    for key, values in _table(data, "grid", where).items():
        if not isinstance(values, list) or not values:
            raise SpecError(f"{where}: [grid] {key}: expected a non-empty list of values")
        spec.grid[key] = [checker.value(key, v, "[grid]") for v in values]
    product = math.prod(len(v) for v in spec.grid.values()) if spec.grid else 0
    if product > MAX_ROWS:
        raise SpecError(f"{where}: [grid] expands to {product} configurations "
                        f"({' x '.join(str(len(v)) for v in spec.grid.values())}); at most "
                        f"{MAX_ROWS} per sweep; split it into several sweeps")
    points = data.get("points", [])
    if not isinstance(points, list) or not all(isinstance(p, dict) for p in points):
        raise SpecError(f"{where}: points: expected [[points]] tables")
    for i, point in enumerate(points):
        spec.points.append(checker.options(point, f"[[points]] #{i + 1}"))
    spec.random = _random_table(_table(data, "random", where), where, checker)
    total = product + len(spec.points) + spec.random.get("samples", 0)
    if total > MAX_ROWS:
        raise SpecError(f"{where}: [grid], [[points]] and [random] expand to {total} "
                        f"configurations; at most {MAX_ROWS} per sweep; split it into "
                        "several sweeps")
    obj = _table(data, "objectives", where)
    for k in obj:
        if k not in ("maximize", "minimize"):
            raise SpecError(f"{where}: [objectives] {k}: use maximize and minimize")
    for sense in ("maximize", "minimize"):
        vals = obj.get(sense, [])
        if isinstance(vals, str):
            vals = [vals]
        if not isinstance(vals, list) or not all(isinstance(v, str) for v in vals):
            raise SpecError(f"{where}: [objectives] {sense}: expected a list of figure names")
        for v in vals:
            check_objective(v, where, sense)
        twice = sorted({v for v in vals if vals.count(v) > 1})
        if twice:
            raise SpecError(f"{where}: [objectives] {sense}: {twice[0]!r} is given twice")
        getattr(spec, sense).extend(vals)
    both = sorted(set(spec.maximize) & set(spec.minimize))
    if both:
        raise SpecError(f"{where}: [objectives] {both[0]} is both maximized and minimized; "
                        "keep it in one list")
    if any(k == "accuracy" for k, _ in spec.objectives) and not spec.accuracy:
        spec.accuracy = True  # an accuracy objective asks for the accuracy simulation
    if spec.accuracy and "network" not in source:
        raise SpecError(f"{where}: accuracy needs network = NAME (a registered network)")
    return spec


def check_objective(name: str, where: str, sense: str) -> None:
    """Objectives are ``accuracy`` or a flattened --json figure (``chip.area_m2``, ...)."""
    from ..engine.results import CHIP_AREA_KEYS, CHIP_KEYS, LAYER_KEYS

    ok = {"accuracy", "clock_period_s"}
    ok |= {f"chip.{k}" for k, _ in CHIP_AREA_KEYS + CHIP_KEYS}
    ok |= {f"performance.{k}" for k in ("tops_per_w", "tops", "fps", "tops_per_mm2")}
    ok |= {"floorplan.chip_utilization"}
    parts = name.split(".")
    if name in ok or (len(parts) == 3 and parts[0] == "layers" and parts[1].isdigit()
                      and int(parts[1]) >= 1 and parts[2] in dict(LAYER_KEYS)):
        return
    raise SpecError(f"{where}: [objectives] {sense}: unknown figure {name!r}; use accuracy, "
                    "chip.<key>, performance.<key> or layers.<n>.<key> (layers from 1; e.g. "
                    "chip.area_m2, performance.tops_per_w)")


def _source(data: dict[str, Any], where: str) -> dict[str, Any]:
    given = [k for k in ("network", "model", "traces") if k in data]
    if len(given) != 1:
        raise SpecError(f"{where}: give exactly one of network = NAME, model = "
                        "\"module:function\" and traces = \"DIR\"")
    src: dict[str, Any] = {given[0]: str(data[given[0]])}
    if given[0] == "traces":
        d = Path(where).parent / str(data["traces"])
        src["traces"] = str(d if not Path(str(data["traces"])).is_absolute()
                            else data["traces"])
        for k in ("data", "checkpoint", "input_shape", "net_options"):
            if k in data:
                raise SpecError(f"{where}: {k}: a trace set has its weights and inputs; "
                                f"{k} applies to network/model")
        return src
    src["data"] = str(data.get("data", "random:1"))
    for k in ("checkpoint", "input_shape"):
        if k in data:
            src[k] = str(data[k])
    batch = data.get("batch", 1)
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise SpecError(f"{where}: batch = {batch!r}: expected a positive integer")
    src["batch"] = batch
    net = data.get("net_options", {})
    if not isinstance(net, dict):
        raise SpecError(f"{where}: net_options: expected a table of KEY = VALUE")
    for k, v in net.items():  # what --net-option KEY=VALUE gives: a name, number or bool
        if not isinstance(k, str) or not isinstance(v, (str, int, float, bool)):
            raise SpecError(f"{where}: [net_options] {k!r} = {v!r}: expected a name, a "
                            "number or true/false")
    if net:
        src["net_options"] = {str(k): v for k, v in net.items()}
    return src


def _table(data: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    t = data.get(name, {})
    if not isinstance(t, dict):
        raise SpecError(f"{where}: [{name}]: expected a table")
    return t


def _bool(v: Any, where: str, key: str) -> bool:
    if not isinstance(v, bool):
        raise SpecError(f"{where}: {key} = {v!r}: expected true or false")
    return v


#: the options naming a file (read by every row that sets them: checked when the spec is)
PATH_OPTIONS = tuple(f.name for f in fields(Config) if f.metadata["unit"] == "path")


class _ValueChecker:
    """Coerces every configuration value as --set would, naming file, table and key."""

    def __init__(self, where: str, axis_names: dict[str, str]):
        self.where = where
        self.axis_names = axis_names
        self._cfg = Config()

    def option(self, key: str, table: str) -> str:
        if not isinstance(key, str):  # a YAML key such as 1: or true:
            raise SpecError(f"{self.where}: {table} {key!r}: an option name must be text")
        try:
            if key.startswith("peripherals.") or key.startswith("peripheral_"):
                return "peripherals." + key.split(".", 1)[-1].removeprefix("peripheral_")
            return resolve_name(key)
        except ConfigError as exc:
            raise SpecError(f"{self.where}: {table} {key}: {exc}") from None

    def value(self, key: str, value: Any, table: str, axis: bool = True) -> Any:
        opt = self.option(key, table)
        if axis:
            self._axis(key, opt, table)
        if isinstance(value, (dict, list)) and not opt.startswith("peripherals"):
            raise SpecError(f"{self.where}: {table} {key} = {value!r}: expected one value")
        try:
            cfg = set_options(self._cfg, {key: value})
            check_range(cfg, opt)  # out of bounds: every row would be rejected
        except ConfigError as exc:
            raise SpecError(f"{self.where}: {table} {key}: {exc}") from None
        if opt in COMPONENT_OPTIONS or opt.startswith("peripherals"):
            from ..plugins import get_host

            try:
                check_components(cfg, get_host().registry)
            except NeuroSimError as exc:
                raise SpecError(f"{self.where}: {table} {key} = {value!r}: {exc}") from None
        if opt in PATH_OPTIONS and getattr(cfg, opt):  # mem_states_file = "nope.csv": every
            # row was 'done' with an empty accuracy and the read error as its reason
            from ..files import limit_bytes, read_bytes

            try:
                read_bytes(Path(getattr(cfg, opt)).expanduser(), "CSV",
                           limit=limit_bytes("configuration"))
            except NeuroSimError as exc:
                raise SpecError(f"{self.where}: {table} {key} = {value!r}: {exc}") from None
        return value

    def options(self, table: dict[str, Any], name: str, axis: bool = True) -> dict[str, Any]:
        flat: dict[str, Any] = {}
        for k, v in table.items():
            if k == "peripherals" and isinstance(v, dict):
                for role, impl in v.items():
                    flat[f"peripherals.{role}"] = impl
            else:
                flat[k] = v
        return {k: self.value(k, v, name, axis) for k, v in flat.items()}

    def _axis(self, key: str, opt: str, table: str) -> None:
        for other, o in self.axis_names.items():
            if o == opt and other != key:
                raise SpecError(f"{self.where}: {table} {key}: names the same option ({opt}) "
                                f"as {other!r}; spell it one way")
        self.axis_names.setdefault(key, opt)


def unused_base_notices(spec: SweepSpec) -> list[str]:
    """One ``Notice:`` per ``[base]`` value that every row sets again (``[base] technode =
    22`` with ``[grid] technode = [7, 5]``): it has no effect (it was overridden silently
    before)."""
    rows: list[tuple[str, dict[str, Any]]] = [("[grid]", spec.grid)] if spec.grid else []
    rows += [(f"[[points]] #{i + 1}", p) for i, p in enumerate(spec.points)]
    if spec.random:
        rows.append(("[random]", spec.random["keys"]))
    if not rows:
        return []

    def option(key: str) -> str:
        if key.startswith("peripherals.") or key.startswith("peripheral_"):
            return key.split(".", 1)[-1].removeprefix("peripheral_")  # adc = peripherals.adc
        return resolve_name(key)

    out = []
    for key, value in spec.base.items():
        opt = option(key)
        setters = []
        for table, keys in rows:
            spelled = [k for k in keys if option(k) == opt]
            if not spelled:
                break
            setters.append(f"{table} {spelled[0]}")
        else:
            more = f" and {len(setters) - 2} more" if len(setters) > 2 else ""
            out.append(f"Notice: {spec.path}: [base] {key} = {value!r} has no effect: every "
                       f"row sets it again ({', '.join(setters[:2])}{more})")
    return out


def _random_table(t: dict[str, Any], where: str, checker: _ValueChecker) -> dict[str, Any]:
    if not t:
        return {}
    samples = t.get("samples")
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise SpecError(f"{where}: [random] samples = {samples!r}: expected a positive integer")
    if samples > MAX_ROWS:
        raise SpecError(f"{where}: [random] samples = {samples}: at most {MAX_ROWS} "
                        "configurations per sweep; split it into several sweeps")
    seed = t.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64:
        raise SpecError(f"{where}: [random] seed = {seed!r}: expected an integer from 0 to "
                        "2**64 - 1")
    keys: dict[str, Any] = {}
    for k, v in t.items():
        if k in ("samples", "seed"):
            continue
        if isinstance(v, list) and v:
            keys[k] = [checker.value(k, x, "[random]") for x in v]
        elif isinstance(v, dict):
            keys[k] = _range(k, v, where, checker)
        else:
            raise SpecError(f"{where}: [random] {k}: expected a list of choices or "
                            "{ min = A, max = B } (optionally log = true)")
    return {"samples": samples, "seed": seed, "keys": keys}


def _range(key: str, v: dict[str, Any], where: str, checker: _ValueChecker) -> dict[str, Any]:
    if checker.option(key, "[random]") in COMPONENT_OPTIONS:  # technode 7..22 draws 13nm
        raise SpecError(f"{where}: [random] {key}: names a plugin (node, device, ...); give "
                        "a list of choices, not a range")
    extra = set(v) - {"min", "max", "log"}
    lo, hi = v.get("min"), v.get("max")
    if extra or not all(isinstance(x, (int, float)) and not isinstance(x, bool)
                        for x in (lo, hi)) or not math.isfinite(lo) or not math.isfinite(hi) \
            or lo > hi:
        raise SpecError(f"{where}: [random] {key}: expected {{ min = A, max = B }} with "
                        "finite numbers A <= B (and optionally log = true)")
    log = _bool(v.get("log", False), where, f"[random] {key}.log")
    if log and lo <= 0:
        raise SpecError(f"{where}: [random] {key}: log = true needs min > 0")
    checker.value(key, lo, "[random]")
    checker.value(key, hi, "[random]")
    return {"min": lo, "max": hi, "log": log,
            "integer": isinstance(lo, int) and isinstance(hi, int)}


def _random_samples(rnd: dict[str, Any]) -> list[dict[str, Any]]:
    """``samples`` draws from ``numpy.random.default_rng(seed)``, one column per key in the
    spec's order: choices uniformly, ranges uniform (log-uniform with ``log``), integer
    ranges inclusive."""
    if not rnd:
        return []
    import numpy as np

    rng = np.random.default_rng(rnd["seed"])
    n = rnd["samples"]
    cols: dict[str, list[Any]] = {}
    for k, v in rnd["keys"].items():
        if isinstance(v, list):
            idx = rng.integers(0, len(v), size=n)
            cols[k] = [v[i] for i in idx]
        elif v["integer"]:
            cols[k] = [int(x) for x in rng.integers(v["min"], v["max"] + 1, size=n)]
        elif v["log"]:
            cols[k] = [float(x) for x in np.exp(rng.uniform(np.log(v["min"]),
                                                            np.log(v["max"]), size=n))]
        else:
            cols[k] = [float(x) for x in rng.uniform(v["min"], v["max"], size=n)]
    return [{k: cols[k][i] for k in cols} for i in range(n)]
