#!/usr/bin/env bash
# The one run on a GPU machine without .NET (Python with torch and transformers, nvcc): everything the kit must show
# there, in one command that fits in 8 minutes, with a summary table last.
#
#   tools/gpu-proof/run.sh [--device cuda] [--bundle artifacts/gpu-bundle] [--libtorch DIR] [--python python3]
#                          [--small] [--prompt-tokens 512] [--new-tokens 256]
#
# 1. versions, `walkthrough doctor` (with WALKTHROUGH_LIBTORCH = the Python torch's lib/ unless --libtorch) and `gpu`;
#    if that libtorch lacks functions TorchSharp's bridge calls, the list goes to the results and the run goes on
#    with WALKTHROUGH_LIBTORCH_ALLOW_MISSING=1, to learn whether the kit's own calls are among them;
# 2. tests/data/golden/make_golden.py with this machine's transformers (float32 on the CPU, bfloat16 on the device),
#    then `walkthrough check` on the device against them (golden logits, placement, generation, bf16/fp16,
#    out-of-memory); the golden files go to $OUT/golden.tar.gz to be committed;
# 3. a generation from the bundled model on the device;
# 4. the benchmark: a Mistral-7B-shaped model with random bfloat16 weights made here by transformers, loaded by the
#    kit (`walkthrough bench --json`) and by transformers (bench_transformers.py) from the same safetensors.
# Results: $OUT/summary.txt, $OUT/log.txt, $OUT/results.tar.gz, $OUT/golden.tar.gz ($OUT defaults to /tmp/gpu-proof-out).
# A dry run on a machine without a GPU: --device cpu --small --libtorch <the NuGet libtorch folder> (see README.md).
set -uo pipefail
cd "$(dirname "$0")/../.."

device=cuda bundle=artifacts/gpu-bundle libtorch=${WALKTHROUGH_LIBTORCH:-} python=${PYTHON:-python3} small=
prompt_tokens=512 new_tokens=256
while [ $# -gt 0 ]; do
  case "$1" in
    --device) device=$2; shift 2 ;;
    --bundle) bundle=$2; shift 2 ;;
    --libtorch) libtorch=$2; shift 2 ;;
    --python) python=$2; shift 2 ;;
    --small) small=--small; shift ;;
    --prompt-tokens) prompt_tokens=$2; shift 2 ;;
    --new-tokens) new_tokens=$2; shift 2 ;;
    *) echo "gpu-proof: unknown argument $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done
out=${OUT:-/tmp/gpu-proof-out}
work=${WORK:-/tmp/gpu-proof}
rm -rf "$work" && mkdir -p "$work" "$out"
exec > >(tee "$out/log.txt") 2>&1
export PYTHONUNBUFFERED=1 XDG_CACHE_HOME="$work/cache"

if [ ! -x "$bundle/bin/walkthrough" ] && [ -f "$bundle.tar.gz" ]; then
  mkdir -p "$bundle" && tar -xzf "$bundle.tar.gz" -C "$bundle"
fi
walkthrough="$bundle/bin/walkthrough"
if [ ! -x "$walkthrough" ]; then
  echo "gpu-proof: no $walkthrough: make it with tools/gpu-bundle/make.sh and carry $bundle" >&2
  exit 2
fi
if [ -z "$libtorch" ]; then
  libtorch=$("$python" -c "import torch, os; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))") || {
    echo "gpu-proof: $python has no torch; give --libtorch DIR" >&2; exit 2; }
fi
export WALKTHROUGH_LIBTORCH="$libtorch"
has_transformers=$("$python" -c "import transformers" 2>/dev/null && echo yes || echo no)

# step NAME SECONDS COMMAND…: runs it under a time limit and records ok / failed (exit code) / timed out.
step() {
  local name=$1 limit=$2 started=$SECONDS status rc
  shift 2
  printf '\n── %s ─────────────────────────────────────────\n' "$name" >&2
  timeout "$limit" "$@"
  rc=$?
  case $rc in 0) status=ok ;; 124|137) status="timed-out" ;; *) status="failed($rc)" ;; esac
  printf '%s\t%s\t%s\n' "$name" "$status" "$((SECONDS - started))" >> "$work/steps.tsv"
  return $rc
}

step versions 60 "$python" -c "
import sys, torch
print('python', sys.version.split()[0], '| torch', torch.__version__, '| cuda', torch.version.cuda, '| gpu', torch.cuda.is_available() and torch.cuda.get_device_name(0))
try:
    import transformers; print('transformers', transformers.__version__)
except ImportError:
    print('transformers: not installed')
print('libtorch folder', '$libtorch')"

if ! step doctor 120 "$walkthrough" doctor | tee "$work/doctor.txt"; then
  if grep -q "cannot serve TorchSharp" "$work/doctor.txt"; then
    # Which functions are missing, in full, for the shim that would stand in for them (see environment.md).
    if command -v nm >/dev/null; then
      nm -D --undefined-only "$bundle/bin/libLibTorchSharp.so" | awk '$1 == "U" && $2 !~ /@/ {print $2}' | sort -u > "$work/bridge-imports.txt"
      for f in libc10.so libc10_cuda.so libtorch_cpu.so libtorch_cuda.so libtorch.so; do
        [ -f "$libtorch/$f" ] && nm -D --defined-only "$libtorch/$f" | awk '{print $3}'
      done | sed 's/@.*//' | sort -u > "$work/libtorch-exports.txt"
      comm -23 "$work/bridge-imports.txt" "$work/libtorch-exports.txt" > "$work/missing.txt"
      (command -v c++filt >/dev/null && c++filt < "$work/missing.txt" || cat "$work/missing.txt") > "$work/missing-demangled.txt"
      comm -12 "$work/missing.txt" tools/gpu-proof/kit-libtorch-calls.txt > "$work/missing-kit-calls.txt"
      echo "gpu-proof: $(wc -l < "$work/missing.txt") functions missing (missing-demangled.txt in results.tar.gz)," \
        "$(wc -l < "$work/missing-kit-calls.txt") of them among the $(wc -l < tools/gpu-proof/kit-libtorch-calls.txt) the kit calls on the CPU"
    fi
    export WALKTHROUGH_LIBTORCH_ALLOW_MISSING=1
    step doctor-allow-missing 120 "$walkthrough" doctor
  fi
fi
step gpu 60 "$walkthrough" gpu
"$walkthrough" gpu --json > "$work/gpu.json" 2>/dev/null

if [ "$has_transformers" = yes ]; then
  step golden 240 "$python" tests/data/golden/make_golden.py "$work/golden" --device "$device"
  [ -d "$work/golden" ] && tar -czf "$out/golden.tar.gz" -C "$work" golden
else
  echo "gpu-proof: transformers is not installed here, so no golden logits are made"
fi
step check 300 "$walkthrough" check --device "$device" --golden "$work/golden" --json > "$work/check.jsonl"
cat "$work/check.jsonl"
step generate 120 "$walkthrough" generate "List the days of the week." --device "$device" --max-new-tokens 48
step next 60 "$walkthrough" next "Monday, Tuesday, Wednesday," --device "$device" --top 5

step model 300 "$python" tools/gpu-proof/make_random_model.py data/configs/mistral-7b "$work/mistral-7b-random" \
  --device "$device" --dtype bfloat16 $small
step kit-bench 300 "$walkthrough" bench --model "$work/mistral-7b-random" --device "$device" --dtype bfloat16 \
  --prompt-tokens "$prompt_tokens" --new-tokens "$new_tokens" --json > "$work/kit-bench.json"
cat "$work/kit-bench.json"
step hf-bench 300 "$python" tools/gpu-proof/bench_transformers.py "$work/mistral-7b-random" --device "$device" \
  --dtype bfloat16 --prompt-tokens "$prompt_tokens" --new-tokens "$new_tokens" > "$work/hf-bench.json"
cat "$work/hf-bench.json"

"$python" tools/gpu-proof/summarize.py "$work"
cp "$work/summary.txt" "$out/summary.txt"
(cd "$work" && tar -czf "$out/results.tar.gz" steps.tsv summary.json ./*.json ./*.jsonl ./*.txt 2>/dev/null)
