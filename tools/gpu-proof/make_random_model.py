"""A model folder with random weights in a real model's shape, for speed and memory measurements.

    python3 tools/gpu-proof/make_random_model.py data/configs/mistral-7b OUT [--dtype bfloat16] [--device cuda] [--small]

Speed and memory do not depend on the weights' values, so no real checkpoint is needed (and none can be downloaded
on the GPU machine). With transformers installed, transformers builds the model from config.json on --device and
writes it with save_pretrained (safetensors shards of at most 5 GB); without it (a dry run on a machine with torch
alone) the same Hugging Face tensor names and shapes are written by hand into one safetensors file. The kit's
Mistral-7B tokenizer is copied beside it. --small keeps the config's kind but shrinks it to a few million parameters.
Prints one JSON line: where, how many parameters and bytes, how long, and what made it.
"""
import argparse
import json
import os
import shutil
import struct
import time

import torch

SMALL = dict(hidden_size=256, intermediate_size=704, num_hidden_layers=2, num_attention_heads=8, num_key_value_heads=2)
DTYPES = {"bfloat16": (torch.bfloat16, "BF16"), "float16": (torch.float16, "F16"), "float32": (torch.float32, "F32")}


def hugging_face_tensors(config):
    """(name, shape) of every tensor a Mistral/Llama checkpoint holds, in the names transformers uses."""
    hidden, layers, vocab = config["hidden_size"], config["num_hidden_layers"], config["vocab_size"]
    head_dim = config.get("head_dim") or hidden // config["num_attention_heads"]
    kv = config["num_key_value_heads"] * head_dim
    yield "model.embed_tokens.weight", (vocab, hidden)
    for i in range(layers):
        p = f"model.layers.{i}."
        yield p + "input_layernorm.weight", (hidden,)
        yield p + "self_attn.q_proj.weight", (config["num_attention_heads"] * head_dim, hidden)
        yield p + "self_attn.k_proj.weight", (kv, hidden)
        yield p + "self_attn.v_proj.weight", (kv, hidden)
        yield p + "self_attn.o_proj.weight", (hidden, config["num_attention_heads"] * head_dim)
        yield p + "post_attention_layernorm.weight", (hidden,)
        yield p + "mlp.gate_proj.weight", (config["intermediate_size"], hidden)
        yield p + "mlp.up_proj.weight", (config["intermediate_size"], hidden)
        yield p + "mlp.down_proj.weight", (hidden, config["intermediate_size"])
    yield "model.norm.weight", (hidden,)
    if not config.get("tie_word_embeddings", False):
        yield "lm_head.weight", (vocab, hidden)


def write_by_hand(config, out, dtype):
    """One safetensors file: an 8-byte header length, the JSON header, then the tensors' bytes in order."""
    torch_dtype, code = DTYPES[dtype]
    generator = torch.Generator().manual_seed(0)
    tensors = [(name, torch.ones(shape, dtype=torch_dtype) if name.endswith("norm.weight")
                else (torch.randn(shape, generator=generator) * 0.02).to(torch_dtype))
               for name, shape in hugging_face_tensors(config)]
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, tensor in tensors:
        size = tensor.numel() * tensor.element_size()
        header[name] = {"dtype": code, "shape": list(tensor.shape), "data_offsets": [offset, offset + size]}
        offset += size
    encoded = json.dumps(header).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(os.path.join(out, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for _, tensor in tensors:
            raw = tensor.view(torch.int16) if tensor.element_size() == 2 else tensor
            f.write(raw.contiguous().numpy().tobytes())
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump({**config, "torch_dtype": dtype}, f, indent=2)
    return sum(t.numel() for _, t in tensors), offset


def write_with_transformers(config, out, dtype, device):
    import transformers
    torch.manual_seed(0)
    hf_config = transformers.AutoConfig.for_model(**config)
    with torch.device(device):  # made on the GPU in the target dtype: a 7B model never exists in float32
        try:
            model = transformers.AutoModelForCausalLM.from_config(hf_config, dtype=DTYPES[dtype][0])
        except TypeError:  # transformers 4 spells it torch_dtype
            model = transformers.AutoModelForCausalLM.from_config(hf_config, torch_dtype=DTYPES[dtype][0])
    try:
        model.save_pretrained(out, safe_serialization=True, max_shard_size="5GB")
    except TypeError:  # transformers 5 always writes safetensors and may not take the argument
        model.save_pretrained(out, max_shard_size="5GB")
    count = sum(p.numel() for p in model.parameters())
    size = sum(p.numel() * p.element_size() for p in model.parameters())
    del model
    return count, size, f"transformers {transformers.__version__}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", help="a folder with config.json, e.g. data/configs/mistral-7b")
    parser.add_argument("out")
    parser.add_argument("--dtype", default="bfloat16", choices=sorted(DTYPES))
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--small", action="store_true", help="shrink to a few million parameters (dry runs)")
    parser.add_argument("--tokenizer", default=os.path.join(os.path.dirname(__file__), "..", "..", "data", "tokenizers", "mistral-7b"))
    arguments = parser.parse_args()

    with open(os.path.join(arguments.config, "config.json")) as f:
        config = {k: v for k, v in json.load(f).items() if k not in ("transformers_version", "torch_dtype")}
    if arguments.small:
        config.update(SMALL)
    shutil.rmtree(arguments.out, ignore_errors=True)
    os.makedirs(arguments.out)
    started = time.perf_counter()
    try:
        count, size, made_by = write_with_transformers(config, arguments.out, arguments.dtype, arguments.device)
    except ImportError:
        count, size = write_by_hand(config, arguments.out, arguments.dtype)
        made_by = f"torch {torch.__version__}, written by hand (no transformers here)"
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        source = os.path.join(arguments.tokenizer, name)
        if os.path.exists(source):
            shutil.copy(source, arguments.out)
    print(json.dumps({"folder": arguments.out, "parameters": count, "bytes": size, "dtype": arguments.dtype,
                      "seconds": round(time.perf_counter() - started, 2), "made_by": made_by}))


if __name__ == "__main__":
    main()
