"""Hugging Face transformers' side of the GPU benchmark: the same folder, lengths and measurements as
`walkthrough bench --json`, so the two can be put side by side.

    python3 tools/gpu-proof/bench_transformers.py MODEL_DIR [--device cuda] [--dtype bfloat16]
        [--prompt-tokens 512] [--new-tokens 256] [--attention sdpa eager]

Plain (not compiled) generate(), greedy, batch 1, once per attention implementation asked for. Prefill is the time to
the first token (generate with one new token); decode is the remaining new tokens over the rest of a full generate.
Peak GPU memory is NVML's device reading above the start, sampled every 2 ms — as the kit measures its own — with
torch's allocator peaks beside it. Prints one JSON object; without transformers, one that says it was skipped.
"""
import argparse
import json
import os
import threading
import time

import torch


class PeakGpuMemory:
    """The most device memory in use above the baseline while it runs (NVML; torch.cuda.mem_get_info without it)."""

    def __init__(self, device):
        self.enabled = device.startswith("cuda") and torch.cuda.is_available()
        self.read = None
        if self.enabled:
            try:
                import pynvml
                pynvml.nvmlInit()
                handle = pynvml.nvmlDeviceGetHandleByIndex(0)
                self.read, self.source = (lambda: pynvml.nvmlDeviceGetMemoryInfo(handle).used), "nvml"
            except Exception:
                self.read, self.source = (lambda: (lambda f, t: t - f)(*torch.cuda.mem_get_info())), "torch.cuda.mem_get_info"
            self.baseline = self.peak = self.read()
            self.stop = threading.Event()
            self.thread = threading.Thread(target=self.sample, daemon=True)
            self.thread.start()

    def sample(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, self.read())
            time.sleep(0.002)

    def finish(self):
        if not self.enabled:
            return None
        self.stop.set()
        self.thread.join()
        return self.peak - self.baseline


def synchronize(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def prompt_ids(folder, length):
    text = " ".join(["Monday, Tuesday, Wednesday, Thursday, Friday."] * length)
    try:
        from tokenizers import Tokenizer
        ids = Tokenizer.from_file(os.path.join(folder, "tokenizer.json")).encode(text).ids[:length]
    except ImportError:
        ids = torch.randint(3, 32000, (length,), generator=torch.Generator().manual_seed(0)).tolist()
    return ids


def timed_generate(model, ids, new_tokens, device):
    synchronize(device)
    started = time.perf_counter()
    with torch.no_grad():
        out = model.generate(ids, max_new_tokens=new_tokens, min_new_tokens=new_tokens, do_sample=False,
                             attention_mask=torch.ones_like(ids), pad_token_id=0)
    synchronize(device)
    assert out.shape[1] == ids.shape[1] + new_tokens
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--dtype", default="bfloat16")
    parser.add_argument("--prompt-tokens", type=int, default=512)
    parser.add_argument("--new-tokens", type=int, default=256)
    parser.add_argument("--attention", nargs="+", default=["sdpa", "eager"])
    arguments = parser.parse_args()
    try:
        import transformers
    except ImportError:
        print(json.dumps({"skipped": "transformers is not installed", "torch": torch.__version__}))
        return

    dtype = getattr(torch, arguments.dtype)
    peak = PeakGpuMemory(arguments.device)
    started = time.perf_counter()
    try:
        model = transformers.AutoModelForCausalLM.from_pretrained(arguments.folder, dtype=dtype, device_map=arguments.device)
    except TypeError:  # transformers 4 spells it torch_dtype
        model = transformers.AutoModelForCausalLM.from_pretrained(arguments.folder, torch_dtype=dtype, device_map=arguments.device)
    model.eval()
    synchronize(arguments.device)
    load_seconds = time.perf_counter() - started
    ids = torch.tensor([prompt_ids(arguments.folder, arguments.prompt_tokens)], device=arguments.device)

    runs = {}
    for attention in arguments.attention:
        if hasattr(model, "set_attn_implementation"):
            model.set_attn_implementation(attention)
        else:
            model.config._attn_implementation = attention
        timed_generate(model, ids, 2, arguments.device)  # warm-up: kernels chosen, allocator grown
        first = timed_generate(model, ids, 1, arguments.device)
        full = timed_generate(model, ids, arguments.new_tokens, arguments.device)
        decode = (arguments.new_tokens - 1) / (full - first)
        runs[attention] = {"prefill_seconds": first, "prefill_tokens_per_second": ids.shape[1] / first,
                           "decode_tokens_per_second": decode, "decode_ms_per_token": 1000 / decode}
    peak_bytes = peak.finish()
    result = {
        "model": os.path.basename(os.path.normpath(arguments.folder)),
        "parameters": sum(p.numel() for p in model.parameters()),
        "device": arguments.device, "dtype": arguments.dtype,
        "prompt_tokens": ids.shape[1], "new_tokens": arguments.new_tokens,
        "load_seconds": load_seconds,
        **runs[arguments.attention[0]],
        "attention": arguments.attention[0], "runs": runs,
        "weight_bytes": sum(p.numel() * p.element_size() for p in model.parameters()),
        "peak_gpu_bytes": peak_bytes, "peak_gpu_source": getattr(peak, "source", None),
        "torch_max_allocated_bytes": torch.cuda.max_memory_allocated() if peak.enabled else None,
        "torch_max_reserved_bytes": torch.cuda.max_memory_reserved() if peak.enabled else None,
        "threads": torch.get_num_threads(),
        "transformers": transformers.__version__, "torch": torch.__version__,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
