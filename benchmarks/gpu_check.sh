#!/usr/bin/env bash
# One prepared run of the accuracy simulation's GPU checks, sized for the device tool's
# 10-minute command limit (at most about 8 minutes: each step has a timeout):
#
#   [BASELINE=FILE] bash benchmarks/gpu_check.sh     # results under $OUT (default: gpu-out)
#
# 1. installs neurosim-core and the VGG8 plugin into /tmp/site (no network, no build
#    isolation: the machine's torch and Triton are used);
# 2. VGG8 throughput at the wrapper's defaults (batch 200), fused kernels, torch path and
#    BASELINE's kernels, and GPU time per kernel over one batch (--profile);
# 3. CPU against CUDA: VGG8 logits (5 settings), DenseNet40 on the full path (signed
#    inputs), ResNet18 on the simplified path and every deterministic golden layer case, each saying if the kernels ran;
# 4. tiles, warps and register caps of both kernels swept (images/s each).
# Each step has its own timeout and JSON file, so a slow step does not lose the others.
set -u
OUT=${OUT:-gpu-out}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
nvidia-smi -L 2>&1 | tee "$OUT/device.txt"
python3 -c "import torch, triton; print('torch', torch.__version__, 'triton', triton.__version__)" \
    | tee -a "$OUT/device.txt"
python3 -m pip install -q --no-deps --no-build-isolation --no-index --target /tmp/site \
    ./core ./plugins/networks/neurosim-network-vgg8 \
    ./plugins/networks/neurosim-network-densenet40 \
    ./plugins/networks/neurosim-network-resnet18 > "$OUT/install.log" 2>&1 \
    || { echo "install failed, see $OUT/install.log"; exit 1; }
export PYTHONPATH=/tmp/site
B=benchmarks/accuracy_gpu.py
# BASELINE: another version of core/src/neurosim/accuracy/fused_crossbar.py (a file in the
# tree, e.g. from `git show REV:core/src/neurosim/accuracy/fused_crossbar.py`), timed too
timeout 150 python3 $B --json "$OUT/throughput.json" --skip cases,network --profile \
    ${BASELINE:+--baseline "$BASELINE"} 2>&1 | tee "$OUT/throughput.log"
timeout 150 python3 $B --json "$OUT/network.json" --skip throughput,cases 2>&1 \
    | tail -10 | tee "$OUT/network.log"
timeout 120 python3 $B --json "$OUT/cases.json" --skip throughput,network 2>&1 \
    | grep -v Warning | tail -12 | tee "$OUT/cases.log"
timeout 120 python3 $B --json "$OUT/sweep.json" --skip cases,network,throughput \
    --sweep 64,128,128,4,168/64,128,8 64,128,128,4/64,128,8 64,128,128,4,128/64,128,8 \
    64,128,128,4,168/64,128,8,128 64,128,128,4,168/64,64,4 2>&1 | grep -E "throughput|Error|error" | tee "$OUT/sweep.log"
