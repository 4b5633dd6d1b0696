"""Golden logits from Hugging Face transformers, for Walkthrough's architecture tests.

Run on a machine with torch and transformers (the project's GPU machine has both; no network is needed):

    python3 tests/data/golden/make_golden.py tests/data/golden [--device cuda]

For each architecture it builds a tiny randomly initialised model from a config (seeded), saves it with
save_pretrained (config.json + model.safetensors, float32), and writes golden.json: the input ids and the
logits transformers computes for them — all positions at once, and step by step with its KV cache — in float32 on
the CPU, and in bfloat16 on --device (the GPU's own bfloat16 kernels when it is cuda).
GoldenLogitsTests and `walkthrough check` load each folder with Walkthrough and compare (float32: max abs difference
1e-4; bfloat16: 0.1).
"""
import argparse
import json
import os
import sys

import torch
from transformers import (GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM, MistralConfig,
                          MistralForCausalLM, MptConfig, MptForCausalLM)

VOCAB = 256
IDS = [1, 17, 42, 99, 3, 250, 7, 7, 128, 64, 5, 200]


def configs():
    common = dict(vocab_size=VOCAB, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                  num_attention_heads=4, max_position_embeddings=128, rms_norm_eps=1e-5)
    yield "llama", LlamaForCausalLM, LlamaConfig(**common, num_key_value_heads=2, rope_theta=10000.0,
                                                 tie_word_embeddings=False)
    yield "mistral", MistralForCausalLM, MistralConfig(**common, num_key_value_heads=2, rope_theta=10000.0,
                                                       sliding_window=8, tie_word_embeddings=False)
    yield "mpt", MptForCausalLM, MptConfig(vocab_size=VOCAB, d_model=64, n_heads=4, n_layers=2, expansion_ratio=2,
                                           max_seq_len=128, no_bias=True,
                                           attn_config={"alibi": True, "alibi_bias_max": 8, "clip_qkv": 0.5})
    yield "gpt2", GPT2LMHeadModel, GPT2Config(vocab_size=VOCAB, n_embd=64, n_layer=2, n_head=4, n_positions=128)


def logits(model, device):
    """All positions at once, then one token at a time through the KV cache."""
    ids = torch.tensor([IDS], device=device)
    with torch.no_grad():
        full = model(ids).logits[0].float().cpu()
        steps, past = [], None
        for t in range(len(IDS)):
            result = model(ids[:, t:t + 1], past_key_values=past, use_cache=True)
            past = result.past_key_values
            steps.append(result.logits[0, -1].float().cpu())
    return full, torch.stack(steps)


def rounded(matrix):
    return [[round(v, 6) for v in row] for row in matrix.tolist()]


def main(out, device):
    torch.backends.cuda.matmul.allow_tf32 = False  # float32 means float32 on the GPU too
    failed = []
    for name, model_class, config in configs():
        try:
            write(name, model_class, config, out, device)
        except Exception as e:  # one architecture this transformers cannot build must not cost the others
            failed.append(name)
            print(f"{name}: FAILED: {type(e).__name__}: {e}")
    sys.exit(1 if failed else 0)


def write(name, model_class, config, out, device):
    torch.manual_seed(1234)
    model = model_class(config).eval().float()
    folder = os.path.join(out, name)
    try:
        model.save_pretrained(folder, safe_serialization=True)
    except TypeError:  # transformers 5 always writes safetensors and may not take the argument
        model.save_pretrained(folder)
    full, cached = logits(model, "cpu")
    bf16_full, bf16_cached = logits(model.to(device=device, dtype=torch.bfloat16), device)
    golden = {"ids": IDS, "logits": rounded(full), "cached_logits": rounded(cached),
              "bfloat16_logits": rounded(bf16_full), "bfloat16_cached_logits": rounded(bf16_cached),
              "bfloat16_device": str(device),
              "transformers": __import__("transformers").__version__, "torch": torch.__version__}
    with open(os.path.join(folder, "golden.json"), "w") as f:
        json.dump(golden, f)
    print(f"{name}: max |full - cached| {(full - cached).abs().max().item():.1e}, "
          f"max |bfloat16 on {device} - float32| {(bf16_full - full).abs().max().item():.1e}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--device", default="cpu", help="where the bfloat16 logits are computed: cpu or cuda")
    arguments = parser.parse_args()
    main(arguments.out, arguments.device)
