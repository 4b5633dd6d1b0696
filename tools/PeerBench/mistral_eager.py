"""A plain PyTorch eager Mistral/Llama forward pass: the peer "PyTorch eager" of tools/PeerBench.

Reads a kit model folder (config.json, model.safetensors) with no library beyond torch and numpy, and answers the
peer protocol on stdin/stdout: one JSON object a line (see Peers/PeerMessages.cs). The model is written the way a
learner would write it from the paper: RMSNorm, rotary embeddings (rotate half), grouped-query attention through
softmax(q·kᵀ/√d)·v (PyTorch 1.13 has no
scaled_dot_product_attention), SwiGLU, a KV cache grown with torch.cat, the output head on the last position only.
Mistral's sliding window never cuts here: the benchmark's texts are shorter than the window (the tool checks).
"""
import base64
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path, dtype):
    with open(path, "rb") as f:
        length = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(length))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + length)
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        raw = np.array(data[start:end])
        if entry["dtype"] == "BF16":
            t = torch.from_numpy(raw.view(np.int16)).view(torch.bfloat16)
        elif entry["dtype"] == "F32":
            t = torch.from_numpy(raw.view(np.float32))
        elif entry["dtype"] == "F16":
            t = torch.from_numpy(raw.view(np.float16))
        else:
            raise SystemExit(f"{path}: {name} is {entry['dtype']}, expected BF16, F16 or F32")
        tensors[name] = t.reshape(entry["shape"]).to(dtype)
    return tensors


class Mistral:
    def __init__(self, folder, dtype):
        self.config = json.load(open(f"{folder}/config.json"))
        c = self.config
        self.w = read_safetensors(f"{folder}/model.safetensors", dtype)
        self.layers = c["num_hidden_layers"]
        self.heads = c["num_attention_heads"]
        self.kv_heads = c.get("num_key_value_heads", self.heads)
        self.head_dim = c.get("head_dim") or c["hidden_size"] // self.heads
        self.eps = c["rms_norm_eps"]
        self.head = self.w.get("lm_head.weight", self.w["model.embed_tokens.weight"])
        theta = c.get("rope_theta", 10000.0)
        inv = 1.0 / theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.float32) / self.head_dim)
        angles = torch.outer(torch.arange(c["max_position_embeddings"], dtype=torch.float32), inv)
        angles = torch.cat([angles, angles], dim=-1)
        self.cos, self.sin = angles.cos().to(dtype), angles.sin().to(dtype)
        n = c["max_position_embeddings"]
        self.causal = torch.full((n, n), float("-inf")).triu(1)
        self.cache = []

    def norm(self, x, weight):
        x32 = x.float()
        return weight * (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)).to(x.dtype)

    def rotate(self, x, cos, sin):
        half = x.shape[-1] // 2
        return x * cos + torch.cat([-x[..., half:], x[..., :half]], dim=-1) * sin

    def forward(self, ids):
        past = self.cache[0][0].shape[2] if self.cache else 0
        t = len(ids)
        x = self.w["model.embed_tokens.weight"][torch.tensor(ids)].unsqueeze(0)
        cos, sin = self.cos[past:past + t], self.sin[past:past + t]
        for i in range(self.layers):
            p = f"model.layers.{i}."
            h = self.norm(x, self.w[p + "input_layernorm.weight"])
            q = F.linear(h, self.w[p + "self_attn.q_proj.weight"]).view(1, t, self.heads, self.head_dim).transpose(1, 2)
            k = F.linear(h, self.w[p + "self_attn.k_proj.weight"]).view(1, t, self.kv_heads, self.head_dim).transpose(1, 2)
            v = F.linear(h, self.w[p + "self_attn.v_proj.weight"]).view(1, t, self.kv_heads, self.head_dim).transpose(1, 2)
            q, k = self.rotate(q, cos, sin), self.rotate(k, cos, sin)
            if len(self.cache) > i:
                k = torch.cat([self.cache[i][0], k], dim=2)
                v = torch.cat([self.cache[i][1], v], dim=2)
                self.cache[i] = (k, v)
            else:
                self.cache.append((k, v))
            groups = self.heads // self.kv_heads
            k, v = k.repeat_interleave(groups, dim=1), v.repeat_interleave(groups, dim=1)
            scores = q @ k.transpose(-1, -2) / self.head_dim ** 0.5
            if t > 1:
                scores = scores + self.causal[past:past + t, :past + t].to(scores.dtype)
            a = torch.softmax(scores.float(), dim=-1).to(q.dtype) @ v
            x = x + F.linear(a.transpose(1, 2).reshape(1, t, -1), self.w[p + "self_attn.o_proj.weight"])
            h = self.norm(x, self.w[p + "post_attention_layernorm.weight"])
            gate = F.linear(h, self.w[p + "mlp.gate_proj.weight"])
            up = F.linear(h, self.w[p + "mlp.up_proj.weight"])
            x = x + F.linear(F.silu(gate) * up, self.w[p + "mlp.down_proj.weight"])
        last = self.norm(x[:, -1], self.w["model.norm.weight"])
        return F.linear(last, self.head)[0].float()


def main():
    folder, dtype_name = sys.argv[1], sys.argv[2]
    dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16}[dtype_name]
    start = time.perf_counter()
    torch.set_grad_enabled(False)
    model = Mistral(folder, dtype)
    maps = open("/proc/self/maps").read() if sys.platform == "linux" else ""
    blas = "OpenBLAS" if "openblas" in maps else "MKL" if "libmkl" in maps or "mkl" in torch.__config__.show().lower() else "the reference BLAS: slow; Debian: apt-get install libopenblas0-openmp"
    ready = {"peer": "pytorch", "detail": f"PyTorch {torch.__version__} eager ({blas})", "load_seconds": time.perf_counter() - start}
    print(json.dumps(ready), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "quit":
            break
        torch.set_num_threads(request.get("threads", 1))
        wall, thread, process = time.perf_counter(), time.thread_time(), time.process_time()
        try:
            if request["op"] == "prefill":
                model.cache = []
                logits = model.forward(request["ids"])
            else:
                for token in request["ids"]:
                    logits = model.forward([token])
            answer = {
                "wall_seconds": time.perf_counter() - wall,
                "thread_cpu_seconds": time.thread_time() - thread,
                "process_cpu_seconds": time.process_time() - process,
                "logits": base64.b64encode(logits.numpy().astype("<f4").tobytes()).decode(),
            }
        except Exception as e:  # the coordinator reports it and goes on with the other peers
            answer = {"error": str(e)}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
