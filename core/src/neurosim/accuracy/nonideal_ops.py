"""The torch side of :mod:`neurosim.accuracy.nonideal`: seeded draws and the cell map.

Every random number is drawn on the CPU from a seeded ``torch.Generator`` and moved to the
device, so CPU and CUDA get the same numbers for the same seed. Fixed draws (stuck-at faults,
device-to-device variation) come from a generator seeded by (seed, layer name, purpose):
the same programmed array for every batch and forward call of a seed.

Cell units are those of :class:`~neurosim.accuracy.crossbar.CrossbarModel` (``2 r G``):

* linear map (on/off ratio r): ``c(d) = 2(r-1) d + 2(R-1)``, R = 2**cellBit;
* ``mem_states`` (mean mu_s, std sigma_s per state s): ``c(d) = 2(R-1) mu_d / mu_0`` with
  ``r = mu_{R-1} / mu_0`` -- the linear map when the means are linear in s; a fractional
  (drifted) digit interpolates linearly between its two states;
* the dummy (reference) cell of a digit with ``lv`` levels: ``(c(0) + c(lv-1)) / 2``.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import torch

from .nonideal import NonIdealities


def fixed_generator(seed: int, layer: str, purpose: str) -> torch.Generator:
    """CPU generator of one layer's fixed draws (``purpose``: "stuck", "d2d")."""
    g = torch.Generator()
    key = zlib.crc32(f"{layer}\x00{purpose}".encode())
    g.manual_seed((int(seed) * 2654435761 + key) % (2 ** 63 - 1))
    return g


def randn(shape: tuple, gen: torch.Generator, device: torch.device,
          dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Standard normal draws on the CPU generator, moved to ``device``."""
    return torch.randn(shape, generator=gen, dtype=dtype).to(device)


@dataclass(frozen=True)
class CellMap:
    """Digit -> conductance (cell units) and the reference cells (module doc)."""

    cell_bits: int
    ratio: float  # r (on/off, or mu_max/mu_0 with mem_states)
    means: tuple[float, ...] | None = None  # mem_states means / mu_0
    stds: tuple[float, ...] | None = None  # mem_states stds / mu_0

    @classmethod
    def build(cls, cell_bits: int, ratio: float, ni: NonIdealities) -> CellMap:
        if ni.mem_states is None:
            return cls(cell_bits, float(ratio))
        mu0 = ni.mem_states[0][0]
        means = tuple(m / mu0 for m, _ in ni.mem_states)
        stds = tuple(s / mu0 for _, s in ni.mem_states)
        return cls(cell_bits, means[-1], means, stds)

    @property
    def radix(self) -> int:
        return 2 ** self.cell_bits

    def _interp(self, table: tuple[float, ...], d: torch.Tensor) -> torch.Tensor:
        t = torch.tensor(table, dtype=torch.float64, device=d.device)
        d = d.double().clamp(0, len(table) - 1)
        i0 = d.floor().long().clamp(max=len(table) - 2) if len(table) > 1 else d.long()
        if len(table) == 1:
            return t[i0]
        frac = d - i0.double()
        return t[i0] + frac * (t[i0 + 1] - t[i0])

    def value(self, d: torch.Tensor) -> torch.Tensor:
        """Conductance of digit(s) ``d`` in cell units (float64)."""
        rr = self.radix
        if self.means is None:
            return 2 * (self.ratio - 1) * d.double() + 2 * (rr - 1)
        return 2 * (rr - 1) * self._interp(self.means, d)

    def std(self, d: torch.Tensor) -> torch.Tensor:
        """Per-state std of digit(s) ``d`` in cell units (0 without mem_states)."""
        if self.stds is None:
            return torch.zeros_like(d, dtype=torch.float64)
        return 2 * (self.radix - 1) * self._interp(self.stds, d)

    def dummy_digit(self, levels: int) -> float:
        """The digit whose value is the reference level (the mid level, linear map)."""
        return (levels - 1) / 2


def stuck_masks(shape: tuple, ni: NonIdealities, gen: torch.Generator,
                device: torch.device) -> tuple[torch.Tensor, torch.Tensor] | None:
    """Boolean masks (stuck at 0, stuck at 1) of independent Bernoulli cells:
    ``u ~ U[0,1)``; stuck at 0 where ``u < rate0``, at 1 where ``rate0 <= u < rate0+rate1``."""
    if not ni.stuck:
        return None
    u = torch.rand(shape, generator=gen, dtype=torch.float64).to(device)
    s0 = u < ni.stuck_at_0_rate
    s1 = (~s0) & (u < ni.stuck_at_0_rate + ni.stuck_at_1_rate)
    return s0, s1


def apply_stuck(d: torch.Tensor, masks: tuple[torch.Tensor, torch.Tensor] | None,
                top: torch.Tensor) -> torch.Tensor:
    """Digits with stuck cells at 0 or at ``top`` (the digit's highest level, broadcast)."""
    if masks is None:
        return d
    s0, s1 = masks
    d = torch.where(s0, torch.zeros_like(d), d)
    return torch.where(s1, top.to(d.dtype).expand_as(d), d)


def read_sigma2(ni: NonIdealities, vari: float, mode: str) -> float:
    """Relative variance of a cell's conductance per read: read noise, and the variation
    when it is cycle to cycle: ``(1 + s_r^2)(1 + s_v^2) - 1``."""
    sv = vari if mode == "c2c" else 0.0
    return (1 + ni.read_noise ** 2) * (1 + sv ** 2) - 1


def adc_output_noise(idx: torch.Tensor, ni: NonIdealities, top: float,
                     gen: torch.Generator) -> torch.Tensor:
    """ADC output noise on level indices (float): Gaussian
    ``clamp(round(idx + s N), 0, top)`` or, with the per-level table,
    ``clamp(round(mean[idx] + std[idx] N), 0, top)``."""
    if not ni.output_noise:
        return idx
    z = randn(tuple(idx.shape), gen, idx.device, idx.dtype)
    if ni.output_noise_table is not None:
        tab = torch.tensor(ni.output_noise_table, dtype=idx.dtype, device=idx.device)
        li = idx.long().clamp(0, int(top))
        out = tab[li, 0] + tab[li, 1] * z
    else:
        out = idx + ni.output_noise_lsb * z
    return out.round_().clamp_(0, top)


def dac_digits(mag: torch.Tensor, dac_bits: int, nbits: int) -> int:
    """Number of reads per input (``ceil(bA / dac_bits)``); digit z of a magnitude is
    ``(mag >> dac_bits*z) & (2**dac_bits - 1)``, weighted ``2**(dac_bits*z)``."""
    return math.ceil(nbits / dac_bits)
