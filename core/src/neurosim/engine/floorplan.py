"""Chip floorplan: which layers use novel mapping, tile/PE sizes, tiles, speed-up and
utilization per layer (NeuroSim V1.4 ``Chip.cpp``: ``ChipDesignInitialize``,
``ChipFloorPlan``, ``TileDesignCM``, ``TileDesignNM``, ``PEDesign``, ``SubArrayDup``,
``OverallEachLayer``).

A network is handled as NeuroSim's ``netStructure``: one row of 8 numbers per layer
(IFM height, IFM width, IFM channels, kernel height, kernel width, OFM channels,
followed-by-max-pool flag, stride). All arithmetic is in doubles, as in the C++; sizes are
square powers of two. Utilization is "weights mapped / memory cells on the chip".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil, log2, sqrt
from typing import Sequence

from ..errors import RejectedConfiguration

#: one row of NeuroSim's netStructure (8 numbers per layer)
NetRow = Sequence[float]

# column indices of a netStructure row
IFM_H, IFM_W, IFM_C, K_H, K_W, OFM_C, POOL, STRIDE = range(8)


@dataclass(frozen=True)
class MappingParams:
    """The Param.cpp members the floorplan reads."""

    num_row_sub_array: int
    num_col_sub_array: int
    num_row_per_synapse: int
    num_col_per_synapse: int
    novel_mapping: bool
    pipeline: bool
    speed_up_degree: int


@dataclass
class DesignInit:
    """Result of ``ChipDesignInitialize``: mapping marks and size bounds."""

    mark_nm: list[int]
    pipeline_speed_up: list[int]
    max_pe_size_nm: float
    max_tile_size_cm: float
    num_pe_nm: float
    speed_up_degree: int  # after clamping to the bound
    messages: list[str] = field(default_factory=list)


@dataclass
class Floorplan:
    """Result of ``ChipFloorPlan``: chosen sizes and the per-layer mapping figures."""

    mark_nm: list[int]
    pipeline_speed_up: list[int]
    num_pe_nm: float
    desired_num_tile_nm: float
    desired_pe_size_nm: float
    desired_num_tile_cm: float
    desired_tile_size_cm: float
    desired_pe_size_cm: float
    num_tile_row: int
    num_tile_col: int
    #: [tile rows per layer, tile cols per layer]
    num_tile_each_layer: list[list[float]]
    utilization_each_layer: list[float]
    #: [speed-up rows per layer, speed-up cols per layer]
    speed_up_each_layer: list[list[float]]
    #: [start row per layer, start col per layer]
    tile_loca_each_layer: list[list[float]]
    messages: list[str] = field(default_factory=list)

    @property
    def num_layers(self) -> int:
        return len(self.mark_nm)

    def tiles(self, layer: int) -> float:
        """Tiles used by ``layer`` (rows x cols)."""
        return self.num_tile_each_layer[0][layer] * self.num_tile_each_layer[1][layer]

    @property
    def tiles_per_layer(self) -> list[float]:
        return [self.tiles(i) for i in range(self.num_layers)]

    @property
    def speedup_per_layer(self) -> list[float]:
        return [self.speed_up_each_layer[0][i] * self.speed_up_each_layer[1][i]
                for i in range(self.num_layers)]

    @property
    def total_tiles(self) -> float:
        total = 0.0
        for i in range(self.num_layers):
            total += self.tiles(i)
        return total

    @property
    def chip_utilization(self) -> float:
        """Memory utilization of the whole chip (fraction, not %)."""
        mapped = 0.0
        for i in range(self.num_layers):
            mapped += self.tiles(i) * self.utilization_each_layer[i]
        return mapped / self.total_tiles


SPEEDUP_MSG = ("User assigned speed-up degree is larger than the upper bound (where no idle "
               "period during the whole process); the speed-up degree is auto-assigned as the "
               "upper bound")


def design_initialize(net: Sequence[NetRow], p: MappingParams) -> DesignInit:
    """``ChipDesignInitialize``: mark novel-mapped layers, size bounds, pipeline speed-up."""
    num_layer = len(net)
    max_pe_size_nm = 0.0
    max_tile_size_cm = 0.0
    num_pe_nm = 0.0
    mark_nm: list[int] = []

    def min_cube(row: NetRow) -> float:
        return float(2 ** ceil(log2(float(row[OFM_C]) * float(p.num_col_per_synapse))))

    if p.novel_mapping:
        # most frequent kernel area among non-1x1 layers; the count is not reset per layer
        # (ported literally: the tie-break depends on it)
        most = 0
        num_pe = 0
        for i in range(num_layer):
            temp = int(net[i][K_H] * net[i][K_W])
            count = 1
            for j in range(num_layer):
                if temp == net[j][K_H] * net[j][K_W] and temp != 1:
                    count += 1
                if most < count:
                    most = count
                    num_pe = temp
        num_pe_nm = float(num_pe)
        for i in range(num_layer):
            row = net[i]
            if (row[K_H] * row[K_W] == num_pe_nm
                    and row[IFM_C] * row[K_H] * row[K_W] * p.num_row_per_synapse
                    >= p.num_row_sub_array):
                mark_nm.append(1)
                max_pe_size_nm = max(min_cube(row), max_pe_size_nm)
            else:
                mark_nm.append(0)
                max_tile_size_cm = max(min_cube(row), max_tile_size_cm)
    else:
        for i in range(num_layer):
            mark_nm.append(0)
            max_tile_size_cm = max(min_cube(net[i]), max_tile_size_cm)

    speed_up_degree = p.speed_up_degree
    pipeline_speed_up: list[int] = []
    messages: list[str] = []
    if p.pipeline:
        max_ifm = int(net[0][IFM_H])
        min_ifm = max_ifm
        for i in range(num_layer):
            if net[i][K_H] != 1:
                this_ifm = int(net[i][IFM_H])
                if this_ifm < min_ifm:
                    min_ifm = this_ifm
        max_speed_up = max_ifm // min_ifm
        if max_speed_up < speed_up_degree:
            messages.append(SPEEDUP_MSG)
            speed_up_degree = max_speed_up
        # speedUpDegree 0: NeuroSim's int(ceil(inf)) is INT_MIN on x86, so every layer's
        # speed-up is ceil(tiny) = 1 (validation.notices says so)
        bound_ifm = int(ceil(max_ifm / speed_up_degree)) if speed_up_degree > 0 else -2**31
        for i in range(num_layer):
            pipeline_speed_up.append(int(ceil((net[i][IFM_H] / bound_ifm) ** 2)))
    return DesignInit(mark_nm, pipeline_speed_up, max_pe_size_nm, max_tile_size_cm, num_pe_nm,
                      speed_up_degree, messages)


def tile_design_cm(tile_size: float, mark_nm: Sequence[int], net: Sequence[NetRow],
                   rps: int, cps: int) -> tuple[float, float, float]:
    """``TileDesignCM``: (tiles, mapped cells, utilization) of the CM layers at tile size T."""
    num_tile_total = 0.0
    matrix_total = 0.0
    for i, row in enumerate(net):
        if mark_nm[i] == 0:
            num_tile_total += (ceil(row[IFM_C] * row[K_H] * row[K_W] * rps / tile_size)
                               * ceil(row[OFM_C] * cps / tile_size))
            matrix_total += row[IFM_C] * row[K_H] * row[K_W] * rps * row[OFM_C] * cps
    utilization = _div(matrix_total, num_tile_total * tile_size * tile_size)
    return num_tile_total, matrix_total, utilization


def tile_design_nm(pe_size: float, mark_nm: Sequence[int], net: Sequence[NetRow], rps: int,
                   cps: int, num_pe_nm: float) -> tuple[float, float, float]:
    """``TileDesignNM``: (tiles, mapped cells, utilization) of the NM layers at PE size P."""
    num_tile_total = 0.0
    matrix_total = 0.0
    for i, row in enumerate(net):
        if mark_nm[i] == 1:
            num_tile_total += ceil(row[IFM_C] * rps / pe_size) * ceil(row[OFM_C] * cps / pe_size)
            matrix_total += row[IFM_C] * row[K_H] * row[K_W] * rps * row[OFM_C] * cps
    utilization = _div(matrix_total, num_tile_total * pe_size * pe_size * num_pe_nm)
    return num_tile_total, matrix_total, utilization


def _div(a: float, b: float) -> float:
    """C++ double division (x/0 gives inf or nan instead of raising)."""
    if b == 0:
        return float("nan") if a == 0 else float("inf")
    return a / b


def _dup(matrix_rows: float, matrix_cols: float, unit_rows: float, unit_cols: float,
         container: float) -> tuple[int, int]:
    """Copies of a matrix that fit a container of ``container`` x ``container`` cells made
    of ``unit_rows`` x ``unit_cols`` units (at least 1 per dimension)."""
    for_row = int(ceil(matrix_rows / unit_rows))
    for_col = int(ceil(matrix_cols / unit_cols))
    n_row = int(ceil(container / unit_rows))
    n_col = int(ceil(container / unit_cols))
    dup_row = n_row // for_row or 1
    dup_col = n_col // for_col or 1
    return dup_row, dup_col


def pe_design(pe_size: float, tile_size: float, num_tile_total: float, mark_nm: Sequence[int],
              net: Sequence[NetRow], rps: int, cps: int
              ) -> tuple[float, float, list[float], list[float]]:
    """``PEDesign``: (mapped cells incl. duplication, utilization, PE dup rows, PE dup cols)."""
    matrix_total = 0.0
    dup_rows: list[float] = []
    dup_cols: list[float] = []
    for i, row in enumerate(net):
        rows = row[IFM_C] * row[K_H] * row[K_W] * rps
        cols = row[OFM_C] * cps
        if mark_nm[i] == 0:
            if rows <= tile_size or cols <= tile_size:
                dr, dc = _dup(rows, cols, pe_size, pe_size, tile_size)
            else:
                dr, dc = 1, 1
            matrix_total += dr * dc * rows * cols
        else:
            dr, dc = 1, 1
        dup_rows.append(float(dr))
        dup_cols.append(float(dc))
    utilization = _div(matrix_total, num_tile_total * tile_size * tile_size)
    return matrix_total, utilization, dup_rows, dup_cols


def sub_array_dup(pe_size_cm: float, pe_size_nm: float, mark_nm: Sequence[int],
                  net: Sequence[NetRow], p: MappingParams) -> tuple[list[float], list[float]]:
    """``SubArrayDup``: duplication of each layer's matrix among the subarrays of a PE."""
    rps, cps = p.num_row_per_synapse, p.num_col_per_synapse
    dup_rows: list[float] = []
    dup_cols: list[float] = []
    for i, row in enumerate(net):
        if mark_nm[i] == 0:
            rows, pe = row[IFM_C] * row[K_H] * row[K_W] * rps, pe_size_cm
        else:
            rows, pe = row[IFM_C] * rps, pe_size_nm
        cols = row[OFM_C] * cps
        if rows <= pe or cols <= pe:
            dr, dc = _dup(rows, cols, p.num_row_sub_array, p.num_col_sub_array, pe)
        else:
            dr, dc = 1, 1
        dup_rows.append(float(dr))
        dup_cols.append(float(dc))
    return dup_rows, dup_cols


def overall_each_layer(pe_dup: tuple[list[float], list[float]],
                       sa_dup: tuple[list[float], list[float]], pipeline_speed_up: Sequence[int],
                       tile_size_cm: float, pe_size_nm: float, mark_nm: Sequence[int],
                       net: Sequence[NetRow], p: MappingParams, num_pe_nm: float
                       ) -> tuple[list[list[float]], list[float], list[list[float]]]:
    """``OverallEachLayer``: (tiles [rows, cols], utilization, speed-up [rows, cols])."""
    rps, cps = p.num_row_per_synapse, p.num_col_per_synapse
    tr: list[float] = []
    tc: list[float] = []
    util: list[float] = []
    sr: list[float] = []
    sc: list[float] = []
    for i, row in enumerate(net):
        dups = pe_dup[0][i] * pe_dup[1][i] * sa_dup[0][i] * sa_dup[1][i]
        if p.pipeline:
            extra = ceil(pipeline_speed_up[i] / dups)
            copies = max(pipeline_speed_up[i], dups)
        else:
            extra = 1
            copies = dups
        if mark_nm[i] == 0:
            rows = ceil(row[IFM_C] * row[K_H] * row[K_W] * rps / tile_size_cm)
            cols = ceil(row[OFM_C] * cps / tile_size_cm)
            rows = rows * extra
            u = (copies * row[IFM_C] * row[K_H] * row[K_W] * rps * row[OFM_C] * cps) / (
                rows * cols * tile_size_cm * tile_size_cm)
        else:
            rows = ceil(row[IFM_C] * rps / pe_size_nm)
            cols = ceil(row[OFM_C] * cps / pe_size_nm)
            rows = rows * extra
            u = (copies * row[IFM_C] * num_pe_nm * rps * row[OFM_C] * cps) / (
                rows * cols * pe_size_nm * pe_size_nm * num_pe_nm)
        tr.append(float(rows))
        tc.append(float(cols))
        util.append(u)
        sr.append(pe_dup[0][i] * sa_dup[0][i] * extra)
        sc.append(pe_dup[1][i] * sa_dup[1][i])
    return [tr, tc], util, [sr, sc]


TOO_LARGE_MSG = ("the subarray ({rows} rows) is too large for the chip hierarchy: NeuroSim needs "
                 "PEs of at least 2x2 subarrays and tiles of at least 2x2 PEs, and the largest "
                 "layer here needs only {size:g} columns (NeuroSim: 'ERROR: SubArray Size is too "
                 "large, which break the chip hierarchey, please decrease the SubArray size!'); "
                 "decrease subarray_rows (argv 4)")

#: novel_mapping with no layer it applies to: NeuroSim's novel PE size stays 0, and it prints
#: the same "SubArray Size is too large" error
NO_NOVEL_LAYER_MSG = ("novel_mapping (novelMapping) = true but no layer of this network "
                      "qualifies for it (NeuroSim novel-maps the layers of its most frequent "
                      "kernel size whose weight rows, cin x kh x kw, reach subarray_rows = "
                      "{rows}), so it sizes no novel-mapped PE and stops ('ERROR: SubArray "
                      "Size is too large, which break the chip hierarchey'); set novel_mapping "
                      "= false (novelMapping=0) or decrease subarray_rows")


def floor_plan(net: Sequence[NetRow], p: MappingParams, init: DesignInit) -> Floorplan:
    """``ChipFloorPlan``: choose tile/PE sizes maximizing utilization and map every layer.

    Raises :class:`RejectedConfiguration` where NeuroSim prints "SubArray Size is too
    large" (it then goes on with empty vectors and prints no results).
    """
    rps, cps = p.num_row_per_synapse, p.num_col_per_synapse
    mark_nm, num_pe_nm = init.mark_nm, init.num_pe_nm
    max_pe_nm, max_tile_cm = init.max_pe_size_nm, init.max_tile_size_cm
    sa = p.num_row_sub_array
    pe_size_nm = 0.0
    num_tile_nm = 0.0
    max_util_nm = 0.0
    max_util_cm = 0.0
    if p.novel_mapping:
        if max_pe_nm == 0:
            raise RejectedConfiguration(NO_NOVEL_LAYER_MSG.format(rows=sa))
        if max_pe_nm < 2 * sa:
            raise RejectedConfiguration(TOO_LARGE_MSG.format(rows=sa, size=max_pe_nm))
        pe_size_nm = max(max_pe_nm, 2 * sa)
        num_tile_nm = tile_design_nm(pe_size_nm, mark_nm, net, rps, cps, num_pe_nm)[0]
        size = max(max_pe_nm, 2 * sa)
        while size > 2 * sa:
            n, _, u = tile_design_nm(size, mark_nm, net, rps, cps, num_pe_nm)
            if u > max_util_nm:
                max_util_nm, pe_size_nm, num_tile_nm = u, size, n
            size /= 2
    elif max_tile_cm < 4 * sa:
        raise RejectedConfiguration(TOO_LARGE_MSG.format(rows=sa, size=max_tile_cm))

    tile_size_cm = max(max_tile_cm, 4 * sa)
    num_tile_cm = tile_design_cm(tile_size_cm, mark_nm, net, rps, cps)[0]
    size = max(max_tile_cm, 4 * sa)
    while size > 4 * sa:
        n, _, u = tile_design_cm(size, mark_nm, net, rps, cps)
        if u > max_util_cm:
            max_util_cm, tile_size_cm, num_tile_cm = u, size, n
        size /= 2
    pe_size_cm = tile_size_cm / 2
    size = tile_size_cm / 2
    while size > 2 * sa:
        u = pe_design(size, tile_size_cm, num_tile_cm, mark_nm, net, rps, cps)[1]
        if u > max_util_cm:
            max_util_cm, pe_size_cm = u, size
        size /= 2
    _, _, pdr, pdc = pe_design(pe_size_cm, tile_size_cm, num_tile_cm, mark_nm, net, rps, cps)
    sa_dup = sub_array_dup(pe_size_cm, pe_size_nm if p.novel_mapping else 0.0, mark_nm, net, p)
    tiles, util, speed = overall_each_layer((pdr, pdc), sa_dup, init.pipeline_speed_up,
                                            tile_size_cm, pe_size_nm if p.novel_mapping else 0.0,
                                            mark_nm, net, p, num_pe_nm)
    if p.pipeline:
        num_tile_cm = 0.0
        num_tile_nm = 0.0
        for i in range(len(net)):
            if mark_nm[i] == 0:
                num_tile_cm += tiles[0][i] * tiles[1][i]
            else:
                num_tile_nm += tiles[0][i] * tiles[1][i]
    num_tile_row = int(ceil(sqrt(num_tile_cm + num_tile_nm)))
    num_tile_col = int(ceil((num_tile_cm + num_tile_nm) / num_tile_row))

    # Start location of each layer's tiles. NeuroSim's accumulator is uninitialised and
    # includes the layer itself (off by one); we start it at 0 and keep the off-by-one.
    loc_r: list[float] = []
    loc_c: list[float] = []
    total = 0.0
    for i in range(len(net)):
        if i == 0:
            loc_r.append(0.0)
            loc_c.append(0.0)
        else:
            total += tiles[0][i] * tiles[1][i]
            loc_r.append(float(int(total) // num_tile_row))
            loc_c.append(float(int(total) % num_tile_row))
    return Floorplan(mark_nm=list(mark_nm), pipeline_speed_up=list(init.pipeline_speed_up),
                     num_pe_nm=num_pe_nm, desired_num_tile_nm=num_tile_nm,
                     desired_pe_size_nm=pe_size_nm, desired_num_tile_cm=num_tile_cm,
                     desired_tile_size_cm=tile_size_cm, desired_pe_size_cm=pe_size_cm,
                     num_tile_row=num_tile_row, num_tile_col=num_tile_col,
                     num_tile_each_layer=tiles, utilization_each_layer=util,
                     speed_up_each_layer=speed, tile_loca_each_layer=[loc_r, loc_c],
                     messages=list(init.messages))


def plan(net: Sequence[NetRow], p: MappingParams) -> Floorplan:
    """Both floorplanning steps of NeuroSim's main: design bounds, then the floorplan."""
    return floor_plan(net, p, design_initialize(net, p))
