#!/usr/bin/env bash
# Lists the libtorch functions the kit really calls through TorchSharp's bridge (kit-libtorch-calls.txt): the glibc
# loader's own record of every symbol it binds (LD_DEBUG=bindings) while the bundle runs its device checks, a
# generation and the benchmark on the CPU. TorchSharp's bridge imports 1204; a libtorch that lacks some of those but
# none of these can still run the kit (WALKTHROUGH_LIBTORCH_ALLOW_MISSING=1). CUDA-only calls are not in this list.
#
#   tools/gpu-proof/list-kit-calls.sh [BUNDLE] [LIBTORCH_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
bundle=${1:-artifacts/gpu-bundle}
export WALKTHROUGH_LIBTORCH=${2:-${WALKTHROUGH_LIBTORCH:-$HOME/.nuget/packages/libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native}}
trace=$(mktemp -d)
trap 'rm -rf "$trace"' EXIT
"${PYTHON:-python3}" tools/gpu-proof/make_random_model.py data/configs/mistral-7b "$trace/model" --small --device cpu > /dev/null
LD_DEBUG=bindings LD_DEBUG_OUTPUT="$trace/check" "$bundle/bin/walkthrough" check > /dev/null
LD_DEBUG=bindings LD_DEBUG_OUTPUT="$trace/generate" "$bundle/bin/walkthrough" generate "List the days of the week." --max-new-tokens 8 > /dev/null 2>&1
LD_DEBUG=bindings LD_DEBUG_OUTPUT="$trace/bench" "$bundle/bin/walkthrough" bench --model "$trace/model" --dtype bfloat16 \
  --prompt-tokens 32 --new-tokens 8 --json > /dev/null 2>&1
cat "$trace"/check.* "$trace"/generate.* "$trace"/bench.* | grep 'libLibTorchSharp.so' | grep -E 'to [^ ]*(libtorch|libc10)' \
  | sed -E "s/.*symbol \`([^']+)'.*/\1/" | sort -u > tools/gpu-proof/kit-libtorch-calls.txt
echo "$(wc -l < tools/gpu-proof/kit-libtorch-calls.txt) libtorch functions bound for the kit: tools/gpu-proof/kit-libtorch-calls.txt"
