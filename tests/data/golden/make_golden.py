"""Golden logits from Hugging Face transformers, for Walkthrough's architecture tests.

Run on a machine with torch and transformers (the project's GPU machine has both; no network is needed):

    python3 tests/data/golden/make_golden.py tests/data/golden

For each architecture it builds a tiny randomly initialised model from a config (seeded), saves it with
save_pretrained (config.json + model.safetensors, float32), and writes golden.json: the input ids and the
logits transformers computes for them — all positions at once, and step by step with its KV cache.
GoldenLogitsTests loads each folder with Walkthrough and compares (max abs difference 1e-4).
"""
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


def main(out):
    for name, model_class, config in configs():
        torch.manual_seed(1234)
        model = model_class(config).eval().float()
        folder = os.path.join(out, name)
        model.save_pretrained(folder, safe_serialization=True)
        ids = torch.tensor([IDS])
        with torch.no_grad():
            full = model(ids).logits[0]
            steps, past = [], None
            for t in range(len(IDS)):
                result = model(ids[:, t:t + 1], past_key_values=past, use_cache=True)
                past = result.past_key_values
                steps.append(result.logits[0, -1])
        golden = {"ids": IDS, "logits": full.tolist(), "cached_logits": torch.stack(steps).tolist(),
                  "transformers": __import__("transformers").__version__, "torch": torch.__version__}
        with open(os.path.join(folder, "golden.json"), "w") as f:
            json.dump(golden, f)
        print(name, "max |full - cached| =", (full - torch.stack(steps)).abs().max().item())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
