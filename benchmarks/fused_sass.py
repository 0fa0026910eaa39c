"""Compile the fused crossbar kernels for a GPU architecture without a GPU, and report what
``ptxas`` made of them: registers, local-memory (spill) bytes, shared memory, and the
instruction mix of each loop body in the SASS.

    python benchmarks/fused_sass.py [--arch 90] [--kernel range|adc|all]
        [--tiles 64,128,4,168 ...] [--sass DIR]

Each tile setting is ``BLOCK_M,BLOCK_N,WARPS[,MAXNREG]`` (a register cap, as the module's
``MAXNREG``/``ADC_MAXNREG``); the kernels are specialized as a VGG8 layer
at the wrapper's defaults (8-bit inputs, cellBit 1: 8 digits, subArray 128, per-item
ranges) launches them: ints divisible by 16 marked so, pointers 16-byte aligned. Triton's
bundled ``ptxas``/``cuobjdump``/``nvdisasm`` do the work, so this runs on any machine with
Triton installed. A static count is not a timing: it shows spills, conversion
instructions (``F2F``, ``I2F``, ``FRND``: an eighth of the float32 rate on sm_90) and how
many instructions each partial sum costs; time on a GPU with
``benchmarks/accuracy_gpu.py``.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import tempfile

import triton
from triton.backends.compiler import GPUTarget
from triton.compiler import ASTSource
from triton.tools.disasm import get_sass

from neurosim.accuracy import fused_crossbar as fc

#: the launch of VGG8's second conv layer at batch 200 (values decide the specialization)
VALUES = {"M": 200 * 1024, "NN": 128, "COUT": 128, "L": 1024, "NB": 200, "A": 18, "B": 2,
          "G": 9, "TOP_BITS": 0x4B400000 + 31}
COMMON = {"M": "i32", "NN": "i32", "COUT": "i32", "L": "i32", "NB": "i32", "A": "i32",
          "B": "i32"}
SIGNATURES = {
    "range": dict(codes_ptr="*u8", dig_ptr="*i8", lo_ptr="*i32", hi_ptr="*i32",
                  cnt_ptr="*i32", **COMMON),
    "adc": dict(codes_ptr="*u8", dig_ptr="*fp16", cnt_ptr="*i32", lo_ptr="*i32",
                inv_ptr="*fp32", wgt_ptr="*i32", out_ptr="*fp64", G="i32", **COMMON,
                TOP_BITS="i32"),
}


def compile_kernel(kind: str, bm: int, bn: int, warps: int, maxnreg: int | None, arch: int,
                   **consts: object):
    """Compile ``kind`` ("range" or "adc") for sm_``arch`` as the VGG8 launch, with
    ``consts`` overriding its specialization (e.g. ``ONE=False``, ``SIGNED=True``)."""
    fn = fc._range_kernel if kind == "range" else fc._adc_kernel
    spec = {"Z": 8, "KD": 8, "PER_ITEM": True, "ONE": True, "BM": bm, "BN": bn, "BK": 128}
    if kind == "range":
        spec.update(KP=8, EVEN_N=True, I8=fc.RANGE_INT8)
    else:
        spec["SPLIT"] = 1
    spec["SIGNED"] = False
    spec.update(consts)
    sig = dict(SIGNATURES[kind])
    if kind == "range" and not spec["I8"]:
        sig["dig_ptr"] = "*fp16"
    if spec["SIGNED"]:
        sig["codes_ptr"] = "*i16"
    order = [a for a in fn.arg_names]
    full = {a: sig.get(a, "constexpr") for a in order}
    attrs = {(i,): [["tt.divisibility", 16]] for i, a in enumerate(order)
             if full[a].startswith("*") or (full[a] == "i32" and VALUES[a] % 16 == 0)}
    src = ASTSource(fn=fn, signature=full, constexprs=spec, attrs=attrs)
    return triton.compile(src, target=GPUTarget("cuda", arch, 32),
                          options={"num_warps": warps, "maxnreg": maxnreg})


def resources(cubin: bytes) -> str:
    tool = os.path.join(os.path.dirname(triton.__file__), "backends", "nvidia", "bin",
                        "cuobjdump")
    with tempfile.NamedTemporaryFile(suffix=".cubin") as f:
        f.write(cubin)
        f.flush()
        out = subprocess.run([tool, "-res-usage", f.name], check=False, capture_output=True,
                             text=True).stdout
    m = re.search(r"REG:(\d+) STACK:(\d+) SHARED:(\d+) LOCAL:(\d+)", out)
    return (f"registers {m[1]}, stack {m[2]} B, local {m[4]} B" if m else out.strip())


def opcode(line: str) -> str | None:
    if "\t" not in line:
        return None
    ins = re.sub(r"^@!?U?P\w+\s+", "", line.split("\t", 1)[1].strip())
    return ins.split()[0].rstrip(";") if ins else None


def loops(sass: str) -> list[tuple[str, collections.Counter]]:
    """The instruction mix of each loop body (a label and a later branch back to it)."""
    lines = sass.splitlines()
    labels = {ln.rstrip(":"): i for i, ln in enumerate(lines) if re.match(r"^\.?L\w*:$", ln)}
    found = []
    for i, ln in enumerate(lines):
        m = re.search(r"BRA `?\(?(\.?L\w*)\)?;", ln)
        if m and labels.get(m[1], i) < i:
            found.append((m[1], collections.Counter(
                op for op in map(opcode, lines[labels[m[1]]:i + 1]) if op)))
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--arch", type=int, default=90)
    ap.add_argument("--kernel", default="all", choices=["range", "adc", "all"])
    ap.add_argument("--tiles", nargs="*", help="BLOCK_M,BLOCK_N,WARPS[,MAXNREG] (default: "
                    "the module's settings)")
    ap.add_argument("--sass", help="write each kernel's SASS into this folder")
    a = ap.parse_args()
    kinds = ["range", "adc"] if a.kernel == "all" else [a.kernel]
    for kind in kinds:
        if a.tiles:
            tiles = [[int(v) for v in t.split(",")] + [0] for t in a.tiles]
        elif kind == "range":
            tiles = [[fc.BLOCK_M, fc.BLOCK_N, fc.NUM_WARPS, fc.MAXNREG]]
        else:
            tiles = [[fc.ADC_BLOCK_M or fc.BLOCK_M, fc.ADC_BLOCK_N or fc.BLOCK_N,
                      fc.ADC_WARPS or fc.NUM_WARPS, fc.ADC_MAXNREG]]
        for bm, bn, warps, maxnreg, *_ in tiles:
            k = compile_kernel(kind, bm, bn, warps, maxnreg or None, a.arch)
            sass = get_sass(k.asm["cubin"])
            name = f"{kind}_{bm}x{bn}_w{warps}_r{maxnreg or 'any'}_sm{a.arch}"
            if a.sass:
                os.makedirs(a.sass, exist_ok=True)
                with open(os.path.join(a.sass, name + ".sass"), "w") as f:
                    f.write(sass)
            print(f"{name}: {resources(k.asm['cubin'])}")
            for label, ops in loops(sass):
                top = ", ".join(f"{op} {n}" for op, n in ops.most_common(12))
                print(f"  loop {label}: {sum(ops.values())} instructions per warp: {top}")


if __name__ == "__main__":
    main()
