"""The gpu-proof run in one table: the device checks, then the kit against transformers on the same random
Mistral-7B-shaped checkpoint, the planner against the measured peak, and decode against the memory-bandwidth limit.

    python3 tools/gpu-proof/summarize.py WORK_DIR [--bandwidth BYTES_PER_SECOND]

Reads what run.sh left in WORK_DIR (steps.tsv, check.jsonl, gpu.json, kit-bench.json, hf-bench.json) and prints the
table; writes summary.json beside them.
"""
import argparse
import json
import os

# Peak memory bandwidth, bytes/s, of the GPUs the project meets (vendors' figures).
BANDWIDTH = {"H200": 4.8e12, "H100": 3.35e12, "A100": 2.0e12, "L4": 0.3e12, "T4": 0.32e12, "V100": 0.9e12}


def load(work, name):
    path = os.path.join(work, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        text = f.read().strip()
    try:
        return json.loads(text) if text else None
    except json.JSONDecodeError:
        return None


def gib(value):
    return f"{value / 2**30:.2f} GiB" if isinstance(value, (int, float)) else "n/a"


def number(value, pattern):
    return pattern.format(value) if isinstance(value, (int, float)) else "n/a"


def ratio(kit, other):
    return f"{kit / other:.2f}×" if isinstance(kit, (int, float)) and isinstance(other, (int, float)) and other else "n/a"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work")
    parser.add_argument("--bandwidth", type=float, help="the GPU's memory bandwidth in bytes/s (default: from its name)")
    arguments = parser.parse_args()
    work = arguments.work

    steps = []
    if os.path.exists(os.path.join(work, "steps.tsv")):
        with open(os.path.join(work, "steps.tsv")) as f:
            steps = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    checks = []
    if os.path.exists(os.path.join(work, "check.jsonl")):
        with open(os.path.join(work, "check.jsonl")) as f:
            checks = [json.loads(line) for line in f if line.strip().startswith("{")]
    gpu = load(work, "gpu.json") or {}
    kit = load(work, "kit-bench.json") or {}
    hf = load(work, "hf-bench.json") or {}
    runs = hf.get("runs", {})

    gpus = gpu.get("gpus") or []
    name = gpus[0].get("name", "") if gpus else ""
    bandwidth = arguments.bandwidth or next((b for key, b in BANDWIDTH.items() if key in name), None)

    lines = ["", "== gpu-proof summary " + "=" * 60]
    for step, status, seconds in steps:
        lines.append(f"step {step:<22} {status:<10} {seconds:>6} s")
    outcome = {o: sum(1 for c in checks if c.get("outcome") == o) for o in ("passed", "failed", "skipped")}
    lines.append(f"checks: {outcome['passed']} passed, {outcome['failed']} failed, {outcome['skipped']} skipped"
                 + "".join(f"\n  FAILED {c['name']}: {c['figure']}" for c in checks if c.get("outcome") == "failed"))
    lines.append(f"machine: {name or 'no GPU'}; kit on {kit.get('device', 'n/a')} {kit.get('dtype', '')}, "
                 f"model {kit.get('model', 'n/a')} ({number(kit.get('parameters'), '{:,}')} parameters)")

    header = f"{'':<26}{'kit':>14}"
    columns = list(runs) or ([hf.get("attention")] if hf.get("attention") else [])
    for attention in columns:
        header += f"{'transformers ' + attention:>22}{'kit/hf':>9}"
    lines += ["", header]

    def row(label, key, pattern, kit_value=None):
        value = kit.get(key) if kit_value is None else kit_value
        text = f"{label:<26}{number(value, pattern):>14}"
        for attention in columns:
            other = runs.get(attention, hf).get(key, hf.get(key))
            text += f"{number(other, pattern):>22}{ratio(value, other):>9}"
        lines.append(text)

    row(f"prefill tokens/s @{kit.get('prompt_tokens', '?')}", "prefill_tokens_per_second", "{:,.0f}")
    row(f"decode tokens/s ({kit.get('new_tokens', '?')} new)", "decode_tokens_per_second", "{:,.1f}")
    row("decode ms/token", "decode_ms_per_token", "{:.2f}")
    row("load s", "load_seconds", "{:.1f}")
    lines.append(f"{'peak GPU (NVML, above start)':<26}{gib(kit.get('peak_gpu_bytes')):>14}"
                 + "".join(f"{gib(hf.get('peak_gpu_bytes')):>22}{ratio(kit.get('peak_gpu_bytes'), hf.get('peak_gpu_bytes')):>9}" for _ in columns[:1]))
    if hf.get("torch_max_allocated_bytes"):
        lines.append(f"{'  transformers allocator':<26}{'':>14}{'max allocated ' + gib(hf['torch_max_allocated_bytes']):>31}")

    summary = {"checks": outcome, "kit": kit, "transformers": hf, "steps": steps, "gpu": name}
    planned, peak = kit.get("planned_bytes"), kit.get("peak_gpu_bytes")
    if isinstance(planned, int) and isinstance(peak, int) and peak > 0:
        error = (planned - peak) / peak
        summary["planner_error"] = error
        lines.append(f"planner: predicted {gib(planned)}, measured {gib(peak)}: {error:+.1%} "
                     f"({'within' if abs(error) <= 0.10 else 'OUTSIDE'} the 10 % target)")
    else:
        lines.append(f"planner: predicted {gib(planned)}; no GPU peak measured to compare")
    weights = kit.get("weight_bytes")
    if bandwidth and isinstance(weights, int):
        limit_ms = weights / bandwidth * 1000
        summary["bandwidth_limit_ms_per_token"] = limit_ms
        parts = [f"kit {kit['decode_ms_per_token']:.2f} ms ({limit_ms / kit['decode_ms_per_token']:.0%} of the limit)"] \
            if kit.get("decode_ms_per_token") else []
        parts += [f"transformers {a} {r['decode_ms_per_token']:.2f} ms ({limit_ms / r['decode_ms_per_token']:.0%})"
                  for a, r in runs.items()]
        lines.append(f"decode vs bandwidth: {weights / 1e9:.2f} GB of weights ÷ {bandwidth / 1e12:.2f} TB/s = "
                     f"{limit_ms:.2f} ms/token at best; " + ", ".join(parts))
    else:
        lines.append("decode vs bandwidth: no GPU bandwidth known here")
    if hf.get("skipped"):
        lines.append(f"transformers: skipped ({hf['skipped']})")

    text = "\n".join(lines)
    print(text)
    with open(os.path.join(work, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    with open(os.path.join(work, "summary.txt"), "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
