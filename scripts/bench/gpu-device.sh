#!/usr/bin/env bash
# Strata's WebGPU path on a lent GPU machine, in ONE call (under 9 minutes):
#   OUT=/some/folder bash scripts/bench/gpu-device.sh
# Records the GPU (nvidia-smi, vulkaninfo --summary), then runs W1 and W2 — and W6 when
# bench/models holds checkpoints made on this machine by bench/reference/real_models.py — on
# Node WebGPU (Dawn, the `webgpu` package; no Chromium), next to the NumPy/PyTorch references
# (PyTorch CUDA too when torch sees the GPU). Writes $OUT/RESULTS.md, $OUT/results.json and logs.
# STRATA_GPU_LIMIT_S (default 500) bounds the benchmark; STRATA_GPU_QUICK=1 uses the quick sizes.
set -u
OUT="${OUT:-/tmp/strata-gpu-out}"
LIMIT_S="${STRATA_GPU_LIMIT_S:-500}"
cd "$(dirname "$0")/../.."
mkdir -p "$OUT"
{
  echo "# $(date -u +%FT%TZ) $(uname -a)"
  echo "node $(node --version 2>&1)"
  nvidia-smi 2>&1 || echo "nvidia-smi: not available"
  vulkaninfo --summary 2>&1 || echo "vulkaninfo: not available (apt-get install vulkan-tools)"
  ls node_modules/webgpu/package.json 2>&1
} > "$OUT/machine.txt"
head -40 "$OUT/machine.txt"

if [ ! -e node_modules/webgpu/package.json ]; then
  echo "gpu-device.sh: node_modules/webgpu is missing: run npm ci first" | tee "$OUT/error.txt"
  exit 2
fi

# The adapter Dawn sees, before any long run: a fallback (software) adapter means no GPU driver.
timeout 60 node --input-type=module -e "
import { create } from 'webgpu';
const a = await create([]).requestAdapter({ powerPreference: 'high-performance' });
const i = a?.info ?? {};
console.log(JSON.stringify(a ? { vendor: i.vendor, architecture: i.architecture, description: i.description, fallback: i.isFallbackAdapter } : null));
process.exit(0);
" > "$OUT/adapter.json" 2> "$OUT/adapter.err"
echo "adapter: $(cat "$OUT/adapter.json") $(tail -2 "$OUT/adapter.err")"

ONLY="W1,W2"
ls bench/models/*/model.safetensors > /dev/null 2>&1 && ONLY="W1,W2,W6"
QUICK=()
[ "${STRATA_GPU_QUICK:-0}" = 1 ] && QUICK=(--quick)
PY="${STRATA_BENCH_TORCH_PYTHON:-python3}"
echo "running $ONLY on webgpu for at most ${LIMIT_S}s"
timeout --kill-after=10 "$LIMIT_S" npm run bench -- --backend webgpu --only "$ONLY" \
  --browser none --out "$OUT" --python "$PY" --torch-python "$PY" "${QUICK[@]}" \
  > "$OUT/bench.log" 2>&1
echo "bench exit $? (124: stopped at ${LIMIT_S}s; finished workloads are in results.json)" \
  | tee -a "$OUT/bench.log"
tail -30 "$OUT/bench.log"
