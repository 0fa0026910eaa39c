"""The user documentation stays true: ``docs/configuration.md`` is what
``tools/gen_config_docs.py`` generates from ``describe_options()``, its example loads, and
every command and option used in ``docs/cli.md``'s examples exists."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest

from neurosim.cli import cli
from neurosim.config import describe_options, load_config

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import gen_config_docs  # noqa: E402

CONFIG_MD = ROOT / "docs" / "configuration.md"
CLI_MD = ROOT / "docs" / "cli.md"


def test_configuration_md_is_up_to_date() -> None:
    assert CONFIG_MD.read_text() == gen_config_docs.generate(), \
        "docs/configuration.md is out of date: run .venv/bin/python tools/gen_config_docs.py"
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_config_docs.py"),
                           "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_configuration_md_lists_every_option() -> None:
    text = CONFIG_MD.read_text()
    for row in describe_options():
        line = next(x for x in text.splitlines() if x.startswith(f"| `{row['name']}` |"))
        for alias in row["aliases"]:
            assert f"`{alias}`" in line, (row["name"], alias)
    assert "| `tech` | `\"22nm\"` |" in text  # Param.cpp default
    assert "codes: 1 = \"sram\", 2 = \"rram\", 3 = \"fefet\"" in text


def test_configuration_md_example_loads(tmp_path: Path) -> None:
    example = re.search(r"```toml\n(.*?)```", CONFIG_MD.read_text(), re.S).group(1)
    (tmp_path / "my.toml").write_text(example)
    cfg = load_config([tmp_path / "my.toml"])
    assert (cfg.tech, cfg.device, cfg.adc, cfg.subarray_rows, cfg.cell_bits) == \
        ("32nm", "rram", "sar", 256, 2)
    assert (cfg.adc_bits, cfg.variation) == (6, 0.05)


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in group.commands.items():
        out.append(prefix + (name,))
        if isinstance(cmd, click.Group):
            out += _commands(cmd, prefix + (name,))
    return out


def _examples() -> list[list[str]]:
    """The ``neurosim ...`` command lines of cli.md's indented code blocks."""
    lines = CLI_MD.read_text().splitlines()
    out, i = [], 0
    while i < len(lines):
        line = lines[i].strip()
        if lines[i].startswith("    neurosim "):
            while line.endswith("\\"):
                i += 1
                line = line[:-1] + " " + lines[i].strip()
            out.append(shlex.split(line.split("  #")[0]))
        i += 1
    return out


def test_cli_md_covers_every_command() -> None:
    text = CLI_MD.read_text()
    paths = _commands(cli)
    assert ("explain",) in paths and ("accuracy", "replay") in paths
    examples = {tuple(ex[1:]) for ex in _examples()}
    for path in paths:
        assert f"neurosim {' '.join(path)}" in text, path
        assert any(ex[:len(path)] == path for ex in examples), f"no example of {path}"


@pytest.mark.parametrize("argv", _examples(), ids=lambda a: " ".join(a[1:4]))
def test_cli_md_examples_use_real_options(argv: list[str]) -> None:
    cmd: click.Command = cli
    args = argv[1:]
    while isinstance(cmd, click.Group) and args and args[0] in cmd.commands:
        cmd = cmd.commands[args.pop(0)]
    assert not isinstance(cmd, click.Group) or not args or args[0].startswith("-"), argv
    known = {o for p in cmd.params
             for o in [*getattr(p, "opts", []), *getattr(p, "secondary_opts", [])]}
    for a in args:
        if a.startswith("--"):
            assert a.split("=")[0] in known, (argv, a)


def test_configuration_md_states_the_enforced_bounds() -> None:
    """Each option's row gives the range the validation enforces (validation.BOUNDS, else
    opt()'s minimum/maximum): a bound there used to be documented as its minimum only."""
    import dataclasses

    from neurosim.config import Config
    from neurosim.validation import bound_of

    text = CONFIG_MD.read_text()
    checked = 0
    for f in dataclasses.fields(Config):
        bound = bound_of(f)
        if bound is None or not bound.describe():
            continue
        line = next(x for x in text.splitlines() if x.startswith(f"| `{f.name}` |"))
        assert f"must be {bound.describe()}" in line, (f.name, line)
        checked += 1
    assert checked > 50
    line = next(x for x in text.splitlines() if x.startswith("| `global_buffer_core_rows` |"))
    assert "must be >= 1 and <= 65536" in line
