#!/usr/bin/env python3
"""Makes extra conformance checkpoints the shared reference set lacks: Qwen2 (q/k/v bias) and Llama 3.1 style
(llama3 rope_scaling, attention_bias on all four projections, mlp_bias, F16 storage, sharded weights).

An independent fp32 forward in plain PyTorch, written from the Hugging Face modeling code (rotate-half RoPE,
RMSNorm in fp32, grouped-query attention, SwiGLU), not from this project's C# code.
Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 tools/make_extra_reference.py OUT_DIR
(Debian: apt-get install python3-torch). Deterministic for a fixed torch version.
"""
import json, math, os, struct, sys
import torch

def rms(x, w, eps):
    h = x.float()
    h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + eps)
    return w * h

def inv_freq(cfg):
    d = cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]
    f = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d))
    s = cfg.get("rope_scaling")
    if s:
        factor, lo, hi, old = s["factor"], s["low_freq_factor"], s["high_freq_factor"], s["original_max_position_embeddings"]
        lo_wl, hi_wl = old / lo, old / hi
        wl = 2 * math.pi / f
        scaled = torch.where(wl > lo_wl, f / factor, f)
        smooth = (old / wl - lo) / (hi - lo)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wl < hi_wl) * ~(wl > lo_wl)
        f = torch.where(medium, smoothed, scaled)
    return f

def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)

def forward(cfg, W, ids):
    T = len(ids)
    H, KV = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    D = cfg.get("head_dim") or cfg["hidden_size"] // H
    eps = cfg["rms_norm_eps"]
    x = W["model.embed_tokens.weight"][torch.tensor(ids)]
    pos = torch.arange(T).float()
    freqs = torch.outer(pos, inv_freq(cfg))
    emb = torch.cat((freqs, freqs), -1)
    cos, sin = emb.cos(), emb.sin()
    mask = torch.full((T, T), float("-inf")).triu(1)
    def lin(name, v):
        y = v @ W[name + ".weight"].T
        b = W.get(name + ".bias")
        return y + b if b is not None else y
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = rms(x, W[p + "input_layernorm.weight"], eps)
        q = lin(p + "self_attn.q_proj", h).view(T, H, D).transpose(0, 1)
        k = lin(p + "self_attn.k_proj", h).view(T, KV, D).transpose(0, 1)
        v = lin(p + "self_attn.v_proj", h).view(T, KV, D).transpose(0, 1)
        if cfg["model_type"] == "qwen3":  # per-head RMSNorm of q and k before RoPE
            q = rms(q, W[p + "self_attn.q_norm.weight"], eps)
            k = rms(k, W[p + "self_attn.k_norm.weight"], eps)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(H // KV, 0)
        v = v.repeat_interleave(H // KV, 0)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(D) + mask
        o = (att.softmax(-1) @ v).transpose(0, 1).reshape(T, H * D)
        x = x + lin(p + "self_attn.o_proj", o)
        h = rms(x, W[p + "post_attention_layernorm.weight"], eps)
        g = lin(p + "mlp.gate_proj", h)
        u = lin(p + "mlp.up_proj", h)
        x = x + lin(p + "mlp.down_proj", torch.nn.functional.silu(g) * u)
    x = rms(x, W["model.norm.weight"], eps)
    head = W["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else W["lm_head.weight"]
    return x @ head.T

DT = {torch.bfloat16: "BF16", torch.float16: "F16", torch.float32: "F32"}

def write_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        if t.dtype == torch.bfloat16:
            raw = t.view(torch.int16).numpy().tobytes()
        else:
            raw = t.numpy().tobytes()
        header[name] = {"dtype": DT[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw); off += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h)
        for b in blobs: f.write(b)

def make(out, name, cfg, store, shards, seed):
    g = torch.Generator().manual_seed(seed)
    H, KV, hid, inter, V = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    D = cfg.get("head_dim") or hid // H
    qkv_bias = cfg["model_type"] == "qwen2" or cfg.get("attention_bias", False)
    o_bias = cfg["model_type"] != "qwen2" and cfg.get("attention_bias", False)
    mlp_bias = cfg.get("mlp_bias", False)
    W = {}
    def r(*shape, s=0.08): return torch.randn(*shape, generator=g) * s
    W["model.embed_tokens.weight"] = r(V, hid, s=0.5)
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        W[p + "input_layernorm.weight"] = 1 + r(hid, s=0.1)
        W[p + "post_attention_layernorm.weight"] = 1 + r(hid, s=0.1)
        if cfg["model_type"] == "qwen3":
            W[p + "self_attn.q_norm.weight"] = 1 + r(D, s=0.1)
            W[p + "self_attn.k_norm.weight"] = 1 + r(D, s=0.1)
        for n, (o, i) in {"q_proj": (H * D, hid), "k_proj": (KV * D, hid), "v_proj": (KV * D, hid), "o_proj": (hid, H * D)}.items():
            W[p + "self_attn." + n + ".weight"] = r(o, i, s=0.2)
            if (n != "o_proj" and qkv_bias) or (n == "o_proj" and o_bias):
                W[p + "self_attn." + n + ".bias"] = r(o, s=0.2)
        for n, (o, i) in {"gate_proj": (inter, hid), "up_proj": (inter, hid), "down_proj": (hid, inter)}.items():
            W[p + "mlp." + n + ".weight"] = r(o, i, s=0.15)
            if mlp_bias:
                W[p + "mlp." + n + ".bias"] = r(o, s=0.1)
    W["model.norm.weight"] = 1 + r(hid, s=0.1)
    if not cfg["tie_word_embeddings"]:
        W["lm_head.weight"] = r(V, hid, s=0.2)
    W = {k: v.to(store) for k, v in W.items()}            # what goes on disk
    F = {k: v.float() for k, v in W.items()}              # fp32 forward over the stored weights
    d = os.path.join(out, name); os.makedirs(d, exist_ok=True)
    json.dump(cfg, open(os.path.join(d, "config.json"), "w"), indent=1)
    if shards == 1:
        write_safetensors(os.path.join(d, "model.safetensors"), W)
    else:
        names = sorted(W); per = math.ceil(len(names) / shards); wm = {}
        for s in range(shards):
            fn = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
            part = {n: W[n] for n in names[s * per:(s + 1) * per]}
            write_safetensors(os.path.join(d, fn), part)
            wm.update({n: fn for n in part})
        total = sum(v.numel() * v.element_size() for v in W.values())
        json.dump({"metadata": {"total_size": total}, "weight_map": wm}, open(os.path.join(d, "model.safetensors.index.json"), "w"), indent=1)
    cases = []
    for ids in ([3], [5, 17, 2, 99, 31, 8, 64], [(i * 37 + 11) % V for i in range(40)]):
        with torch.no_grad():
            logits = forward(cfg, F, ids)
        lp = logits.log_softmax(-1)
        cases.append({"input_ids": ids, "last_logits": logits[-1].tolist(), "logits_sum": float(logits.sum()),
                      "argmax": logits.argmax(-1).tolist(),
                      "token_logps_of_input": [float(lp[t, ids[t + 1]]) for t in range(len(ids) - 1)]})
    json.dump({"note": "made by tools/make_extra_reference.py (independent fp32 PyTorch forward over the stored weights)", "cases": cases},
              open(os.path.join(d, "reference-logits.json"), "w"))

if __name__ == "__main__":
    out = sys.argv[1]
    base = {"hidden_size": 48, "intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 6, "num_key_value_heads": 2,
            "rms_norm_eps": 1e-6, "vocab_size": 320, "hidden_act": "silu", "max_position_embeddings": 4096}
    # Qwen2 configs carry no head_dim: hidden / heads = 8.
    qwen2 = dict(base, architectures=["Qwen2ForCausalLM"], model_type="qwen2", rope_theta=1000000.0, tie_word_embeddings=False)
    make(out, "extra-qwen2-bias-bf16", qwen2, torch.bfloat16, 1, 1)
    llama = dict(base, architectures=["LlamaForCausalLM"], model_type="llama", rope_theta=10000.0, tie_word_embeddings=False,
                 head_dim=16, num_attention_heads=4, attention_bias=True, mlp_bias=True,
                 rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                               "original_max_position_embeddings": 16})
    make(out, "extra-llama31-scaled-f16-sharded", llama, torch.float16, 3, 2)
    # As real Qwen3: head_dim (16) times heads (6) differs from hidden_size (48); tied embeddings; F32 on disk.
    qwen3 = dict(base, architectures=["Qwen3ForCausalLM"], model_type="qwen3", rope_theta=1000000.0, tie_word_embeddings=True, head_dim=16)
    make(out, "extra-qwen3-headdim-f32", qwen3, torch.float32, 1, 3)
    print("ok")
