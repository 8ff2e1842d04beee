#!/usr/bin/env python3
"""laclip's CLIP trainer (Sources/CLIP) written again in PyTorch, layer for layer, as an oracle.

    torch_clip_reference.py compare DIR
        DIR holds a training run laclip dumped (index.json, raw little-endian float32/int32
        files; Tests/TorchReferenceTests writes it). Replays each step in PyTorch and prints a
        JSON report; exits 1 if any quantity is outside the tolerances below.
    torch_clip_reference.py bench --preset tiny --batch 32 --threads 1 [--steps N]
        Times full training steps (forward, backward, clipping, AdamW, clamp) of a preset on
        random inputs; prints one JSON line with the median milliseconds per step.

Parameters are kept in laclip's order and layout (names as in CLIPModel.parameters, linear
weights [out, in], projections [embed, width]) so a dump loads by name with no transposes.
Run it with the venv `scripts/torch-env.sh torch` prints.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

# CLIPConfiguration.tiny and .small.
PRESETS = {
    "tiny": dict(imageResolution=32, patchSize=8, visionWidth=64, visionDepth=2, visionHeads=2,
                 contextLength=32, vocabularySize=1024, textWidth=64, textDepth=2, textHeads=2, embedDimension=64),
    "small": dict(imageResolution=64, patchSize=8, visionWidth=192, visionDepth=4, visionHeads=3,
                  contextLength=48, vocabularySize=4096, textWidth=192, textDepth=4, textHeads=3, embedDimension=128),
}
# TrainOptions' defaults.
TRAIN_DEFAULTS = dict(beta1=0.9, beta2=0.98, epsilon=1e-8, weightDecay=0.5, maxGradientNorm=1.0)
MAX_LOGIT_SCALE = math.log(100.0)  # CLIPModel.maximumLogitScale; exp() of the scale is capped at 100.
INITIAL_LOGIT_SCALE = math.log(1 / 0.07)
LAYER_NORM_EPS = 1e-5

# Agreement tolerances, float32 against float32. Measured on both presets (batch 8, two steps,
# one thread): loss rel ≤ 2.1e-7, gradient rel ≤ 2.4e-5 (the logit scale's gradient, a sum with
# cancellation; PyTorch's own float32 value is 1.6e-4 from its float64 one there, laclip's
# 1.3e-4), gradient abs ≤ 2.0e-6 of the largest, parameters after AdamW ≤ 1.2e-7 (1 ulp). Each
# bound is several times that, and far below what a real bug (a missing mask, exact instead of
# tanh GELU, a decayed gain, a wrong scale) produces.
TOLERANCES = {
    # |loss_swift - loss_torch| / |loss_torch|
    "loss_rel": 2e-6,
    # per tensor: max|g_swift - g_torch| / max|g_torch|, over tensors whose gradient is not pure
    # rounding noise (see GRADIENT_NOISE_FLOOR)
    "grad_rel": 1e-3,
    # every tensor: max|g_swift - g_torch| / (largest gradient of the whole model)
    "grad_abs_of_global": 1e-5,
    # parameters after PyTorch's AdamW applied to laclip's gradients: max|p_swift - p_torch|
    "param_abs": 1e-6,
}
# A tensor whose largest gradient is this small next to the model's largest holds only rounding
# noise: the key bias of attention is one (softmax ignores a shift shared by all keys, so its true
# gradient is exactly 0). Its relative error means nothing; its absolute error is still checked.
GRADIENT_NOISE_FLOOR = 1e-5


def parameter_specs(c):
    """(name, shape, decays, init) in CLIPModel.parameters order (ParameterFactory call order)."""
    specs = []

    def add(name, shape, init):
        specs.append((name, tuple(shape), len(shape) >= 2, init))

    def block(prefix, w, depth):
        attention_std = 1 / math.sqrt(w)
        residual_std = attention_std / math.sqrt(2 * depth)
        add(prefix + "ln_1.weight", [w], ("ones",))
        add(prefix + "ln_1.bias", [w], ("zeros",))
        add(prefix + "attn.in_proj.weight", [3 * w, w], ("normal", attention_std))
        add(prefix + "attn.in_proj.bias", [3 * w], ("zeros",))
        add(prefix + "attn.out_proj.weight", [w, w], ("normal", residual_std))
        add(prefix + "attn.out_proj.bias", [w], ("zeros",))
        add(prefix + "ln_2.weight", [w], ("ones",))
        add(prefix + "ln_2.bias", [w], ("zeros",))
        add(prefix + "mlp.c_fc.weight", [4 * w, w], ("normal", 1 / math.sqrt(2 * w)))
        add(prefix + "mlp.c_fc.bias", [4 * w], ("zeros",))
        add(prefix + "mlp.c_proj.weight", [w, 4 * w], ("normal", residual_std))
        add(prefix + "mlp.c_proj.bias", [w], ("zeros",))

    vw, patch_values = c["visionWidth"], 3 * c["patchSize"] ** 2
    patches = (c["imageResolution"] // c["patchSize"]) ** 2
    add("visual.conv1.weight", [vw, patch_values], ("uniform", 1 / math.sqrt(patch_values)))
    add("visual.class_embedding", [vw], ("normal", 1 / math.sqrt(vw)))
    add("visual.positional_embedding", [patches + 1, vw], ("normal", 1 / math.sqrt(vw)))
    add("visual.ln_pre.weight", [vw], ("ones",))
    add("visual.ln_pre.bias", [vw], ("zeros",))
    for layer in range(c["visionDepth"]):
        block(f"visual.transformer.resblocks.{layer}.", vw, c["visionDepth"])
    add("visual.ln_post.weight", [vw], ("ones",))
    add("visual.ln_post.bias", [vw], ("zeros",))
    add("visual.proj", [c["embedDimension"], vw], ("normal", 1 / math.sqrt(vw)))
    tw = c["textWidth"]
    add("token_embedding.weight", [c["vocabularySize"], tw], ("normal", 0.02))
    add("positional_embedding", [c["contextLength"], tw], ("normal", 0.01))
    for layer in range(c["textDepth"]):
        block(f"transformer.resblocks.{layer}.", tw, c["textDepth"])
    add("ln_final.weight", [tw], ("ones",))
    add("ln_final.bias", [tw], ("zeros",))
    add("text_projection", [c["embedDimension"], tw], ("normal", 1 / math.sqrt(tw)))
    add("logit_scale", [], ("constant", INITIAL_LOGIT_SCALE))
    return specs


def random_parameters(c, seed, dtype=torch.float32):
    """Fresh parameters with laclip's initial distributions (not its values: those come from its
    own generator; the bench only needs the shapes and scales)."""
    g = torch.Generator().manual_seed(seed)
    params = {}
    for name, shape, _, init in parameter_specs(c):
        if init[0] == "ones":
            t = torch.ones(shape, dtype=dtype)
        elif init[0] == "zeros":
            t = torch.zeros(shape, dtype=dtype)
        elif init[0] == "constant":
            t = torch.full(shape, init[1], dtype=dtype)
        elif init[0] == "normal":
            t = torch.randn(shape, generator=g, dtype=dtype) * init[1]
        else:
            t = (torch.rand(shape, generator=g, dtype=dtype) * 2 - 1) * init[1]
        params[name] = t.requires_grad_()
    return params


# ---- the model (CLIPModel, VisionTransformer, TextTransformer, TransformerBlock) ----

def layer_norm(x, p, prefix):
    return F.layer_norm(x, x.shape[-1:], p[prefix + ".weight"], p[prefix + ".bias"], eps=LAYER_NORM_EPS)


def transformer_block(x, p, prefix, heads, causal, activation):
    """Pre-LN: x + Attn(LN(x)), then x + MLP(LN(x)); qkv packed as one [3W, W] projection with
    q, k, v side by side and head h at columns h·D..<(h+1)·D of each, scores scaled by D^-½."""
    batch, steps, width = x.shape
    h = layer_norm(x, p, prefix + "ln_1")
    qkv = F.linear(h, p[prefix + "attn.in_proj.weight"], p[prefix + "attn.in_proj.bias"])
    q, k, v = qkv.view(batch, steps, 3, heads, width // heads).permute(2, 0, 3, 1, 4)
    attended = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    attended = attended.transpose(1, 2).reshape(batch, steps, width)
    x = x + F.linear(attended, p[prefix + "attn.out_proj.weight"], p[prefix + "attn.out_proj.bias"])
    h = layer_norm(x, p, prefix + "ln_2")
    h = F.linear(h, p[prefix + "mlp.c_fc.weight"], p[prefix + "mlp.c_fc.bias"])
    # ViT: GELU, tanh approximation; text: QuickGELU x·σ(1.702x) (Activations.swift).
    h = F.gelu(h, approximate="tanh") if activation == "gelu" else h * torch.sigmoid(1.702 * h)
    return x + F.linear(h, p[prefix + "mlp.c_proj.weight"], p[prefix + "mlp.c_proj.bias"])


def encode_images(images, p, c):
    """images [B, 3, R, R] → [B, embed]: a stride-P convolution without bias (laclip's
    [width, 3·P·P] weight is the conv kernel flattened channel, row, column), class token in
    front, positions, ln_pre, blocks, ln_post of the class token, projection."""
    batch, width, size = images.shape[0], c["visionWidth"], c["patchSize"]
    kernel = p["visual.conv1.weight"].view(width, 3, size, size)
    x = F.conv2d(images, kernel, stride=size).flatten(2).transpose(1, 2)  # patches in raster order
    x = torch.cat([p["visual.class_embedding"].expand(batch, 1, width), x], dim=1)
    x = layer_norm(x + p["visual.positional_embedding"], p, "visual.ln_pre")
    for layer in range(c["visionDepth"]):
        x = transformer_block(x, p, f"visual.transformer.resblocks.{layer}.", c["visionHeads"], False, "gelu")
    x = layer_norm(x[:, 0], p, "visual.ln_post")
    return F.linear(x, p["visual.proj"])


def encode_text(tokens, ends, p, c):
    """tokens [B, T] → [B, embed]: embeddings + positions, causal blocks, then the activation at
    each caption's end-of-text position, ln_final (per position, so pooling first is the same),
    projection."""
    x = F.embedding(tokens, p["token_embedding.weight"]) + p["positional_embedding"]
    for layer in range(c["textDepth"]):
        x = transformer_block(x, p, f"transformer.resblocks.{layer}.", c["textHeads"], True, "quickgelu")
    x = x[torch.arange(x.shape[0]), ends]
    return F.linear(layer_norm(x, p, "ln_final"), p["text_projection"])


def clip_loss(images, tokens, ends, p, c):
    """Symmetric InfoNCE over L2-normalised features scaled by min(exp(logit_scale), 100)."""
    image_features = F.normalize(encode_images(images, p, c), dim=-1)
    text_features = F.normalize(encode_text(tokens, ends, p, c), dim=-1)
    logits = p["logit_scale"].exp().clamp(max=100) * image_features @ text_features.T
    labels = torch.arange(logits.shape[0])
    return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2


# ---- the optimiser step (clipGradientNorm, AdamW, clampLogitScale) ----

def make_optimizer(p, c, hyper):
    """AdamW with laclip's two groups: rank ≥ 2 tensors (weights, embeddings) decay, gains,
    biases, the class token and the logit scale do not."""
    specs = parameter_specs(c)
    decayed = [p[name] for name, _, decays, _ in specs if decays]
    plain = [p[name] for name, _, decays, _ in specs if not decays]
    return torch.optim.AdamW(
        [dict(params=decayed, weight_decay=hyper["weightDecay"]), dict(params=plain, weight_decay=0.0)],
        lr=1e-3, betas=(hyper["beta1"], hyper["beta2"]), eps=hyper["epsilon"])


def clip_gradients(p, max_norm):
    """clipGradientNorm: the global norm summed in float64; scaled by max/norm only when the norm
    exceeds max (torch's clip_grad_norm_ adds 1e-6 to the norm and always scales)."""
    grads = [t.grad for t in p.values() if t.grad is not None]
    norm = torch.stack([g.double().pow(2).sum() for g in grads]).sum().sqrt().to(grads[0].dtype)
    if max_norm is not None and norm > max_norm and norm > 0:
        factor = torch.tensor(max_norm, dtype=norm.dtype) / norm
        torch._foreach_mul_(grads, factor)
    return float(norm)


def apply_gradients(p, optimizer, learning_rate, max_norm):
    norm = clip_gradients(p, max_norm)
    for group in optimizer.param_groups:
        group["lr"] = learning_rate
    optimizer.step()
    with torch.no_grad():
        p["logit_scale"].clamp_(0, MAX_LOGIT_SCALE)
    return norm


def compute_gradients(images, tokens, ends, p, c, optimizer):
    optimizer.zero_grad()
    loss = clip_loss(images, tokens, ends, p, c)
    loss.backward()
    return loss


# ---- compare: replay a dump ----

def read_array(folder, entry, dtype):
    return np.fromfile(os.path.join(folder, entry), dtype=dtype)


def split_parameters(flat, specs, dtype):
    out, offset = {}, 0
    for name, shape, _, _ in specs:
        count = int(np.prod(shape)) if shape else 1
        out[name] = torch.from_numpy(flat[offset:offset + count].copy()).reshape(shape).to(dtype)
        offset += count
    assert offset == flat.size, f"dump holds {flat.size} values, the model {offset}"
    return out


def max_abs(t):
    return float(t.abs().max()) if t.numel() else 0.0


def compare(folder):
    with open(os.path.join(folder, "index.json")) as f:
        index = json.load(f)
    c = index["configuration"]
    preset = index["preset"]
    if PRESETS.get(preset) != c:
        sys.exit(f"dumped configuration {c} is not this script's preset {preset!r}: {PRESETS.get(preset)}")
    specs = parameter_specs(c)
    dumped = [(e["name"], tuple(e["shape"]), e["decays"]) for e in index["parameters"]]
    mine = [(name, shape, decays) for name, shape, decays, _ in specs]
    if dumped != mine:
        diff = next(((a, b) for a, b in zip(dumped, mine) if a != b), (len(dumped), len(mine)))
        sys.exit(f"parameter list differs from laclip's (first difference: laclip {diff[0]}, here {diff[1]})")
    hyper = index["optimizer"]
    torch.set_num_threads(1)
    torch.manual_seed(0)

    flat0 = read_array(folder, index["initialParameters"], np.float32)
    # Swift's state before each step: the initial dump, then its own parameters after each step
    # (so every step is compared from the same starting point, errors do not compound).
    swift_before = split_parameters(flat0, specs, torch.float32)
    own = {k: v.clone().requires_grad_() for k, v in swift_before.items()}  # an independent PyTorch run
    own_optimizer = make_optimizer(own, c, hyper)
    # PyTorch's AdamW driven by laclip's gradients: isolates the optimiser step.
    fed = {k: v.clone().requires_grad_() for k, v in swift_before.items()}
    fed_optimizer = make_optimizer(fed, c, hyper)
    report = dict(preset=preset, batch=index["batchSize"], torch=torch.__version__, tolerances=TOLERANCES, steps=[])
    failures = []
    for number, step in enumerate(index["steps"], start=1):
        res, size = c["imageResolution"], index["batchSize"]
        images = torch.from_numpy(read_array(folder, step["images"], np.float32).copy()).view(size, 3, res, res)
        tokens = torch.from_numpy(read_array(folder, step["tokens"], np.int32).astype(np.int64)).view(size, c["contextLength"])
        ends = torch.from_numpy(read_array(folder, step["endPositions"], np.int32).astype(np.int64))
        swift_grads = split_parameters(read_array(folder, step["gradients"], np.float32), specs, torch.float32)
        swift_after = split_parameters(read_array(folder, step["parameters"], np.float32), specs, torch.float32)

        # 1. Loss and gradients at laclip's parameters before this step, in float32 and float64
        #    (float64 shows how much of the float32 difference is either side's rounding).
        results = {}
        for label, dtype in (("f32", torch.float32), ("f64", torch.float64)):
            p = {k: v.to(dtype).clone().requires_grad_() for k, v in swift_before.items()}
            loss = clip_loss(images.to(dtype), tokens, ends, p, c)
            loss.backward()
            results[label] = (float(loss.detach()), {k: v.grad for k, v in p.items()})
        loss32, grads32 = results["f32"]
        loss64, grads64 = results["f64"]
        global_max = max(max_abs(g) for g in grads32.values())
        tensors, worst_rel, worst_abs = [], (0.0, ""), (0.0, "")
        for name, _, _, _ in specs:
            ref, got = grads32[name], swift_grads[name]
            err = max_abs(got - ref)
            err64 = max_abs(got.double() - grads64[name])
            torch_err64 = max_abs(ref.double() - grads64[name])
            scale = max_abs(ref)
            noise = scale < GRADIENT_NOISE_FLOOR * global_max
            rel = err / scale if scale > 0 else (0.0 if err == 0 else math.inf)
            tensors.append(dict(name=name, max_abs_err=err, ref_max_abs=scale, rel=rel, noise_only=noise,
                                swift_vs_f64=err64, torch_f32_vs_f64=torch_err64))
            if not noise and rel > worst_rel[0]:
                worst_rel = (rel, name)
            if err / global_max > worst_abs[0]:
                worst_abs = (err / global_max, name)
        loss_rel = abs(step["loss"] - loss32) / abs(loss32)

        # 2. The optimiser on laclip's own gradients, from laclip's parameters.
        with torch.no_grad():
            for k in fed:
                fed[k].copy_(swift_before[k])
                fed[k].grad = swift_grads[k].clone()
        fed_norm = apply_gradients(fed, fed_optimizer, step["learningRate"], index["maxGradientNorm"])
        param_err = max((max_abs(fed[k].detach() - swift_after[k]), k) for k in fed)

        # 3. An independent PyTorch run (its own gradients all along); only reported: where a
        #    gradient is rounding noise (the key bias), Adam's first steps turn its sign into ±lr.
        own_loss = compute_gradients(images, tokens, ends, own, c, own_optimizer)
        apply_gradients(own, own_optimizer, step["learningRate"], index["maxGradientNorm"])
        own_err = max((max_abs(own[k].detach() - swift_after[k]), k) for k in own)
        update_scale = step["learningRate"]

        entry = dict(
            step=number, learning_rate=step["learningRate"], loss_swift=step["loss"], loss_torch=loss32, loss_f64=loss64,
            loss_rel=loss_rel, grad_norm_swift=step["gradientNorm"], grad_norm_torch=fed_norm,
            clipped=fed_norm > index["maxGradientNorm"], global_max_grad=global_max,
            worst_grad_rel=dict(value=worst_rel[0], tensor=worst_rel[1]),
            worst_grad_abs_of_global=dict(value=worst_abs[0], tensor=worst_abs[1]),
            noise_only_tensors=[t["name"] for t in tensors if t["noise_only"]],
            param_abs_after_adamw=dict(value=param_err[0], tensor=param_err[1]),
            independent_run=dict(loss=float(own_loss.detach()), max_param_abs=own_err[0], tensor=own_err[1],
                                 in_learning_rates=own_err[0] / update_scale),
            tensors=tensors)
        report["steps"].append(entry)
        checks = [("loss_rel", loss_rel), ("grad_rel", worst_rel[0]), ("grad_abs_of_global", worst_abs[0]),
                  ("param_abs", param_err[0])]
        failures += [f"step {number}: {key} {value:.3g} > {TOLERANCES[key]:.3g}" for key, value in checks if value > TOLERANCES[key]]
        swift_before = swift_after
    report["failures"] = failures
    print(json.dumps(report))
    for s in report["steps"]:
        print(f"{preset} step {s['step']}: loss {s['loss_swift']:.7f} vs {s['loss_torch']:.7f} (rel {s['loss_rel']:.2e}); "
              f"grad rel {s['worst_grad_rel']['value']:.2e} ({s['worst_grad_rel']['tensor']}), "
              f"abs/global {s['worst_grad_abs_of_global']['value']:.2e}; norm {s['grad_norm_swift']:.5f}"
              f"{' (clipped)' if s['clipped'] else ''}; params after AdamW {s['param_abs_after_adamw']['value']:.2e}; "
              f"independent run {s['independent_run']['in_learning_rates']:.2f} lr", file=sys.stderr)
        # How far each float32 side is from float64, over the tensors that are not noise.
        real = [t for t in s["tensors"] if not t["noise_only"]]
        swift64 = max(t["swift_vs_f64"] / t["ref_max_abs"] for t in real)
        torch64 = max(t["torch_f32_vs_f64"] / t["ref_max_abs"] for t in real)
        print(f"{preset} step {s['step']}: vs float64, worst relative gradient error laclip {swift64:.2e}, PyTorch float32 "
              f"{torch64:.2e}; noise-only gradients: {', '.join(s['noise_only_tensors']) or 'none'}", file=sys.stderr)
    return 1 if failures else 0


# ---- bench ----

def bench(preset, batch, threads, steps, warmup, seed):
    torch.set_num_threads(threads)
    c = PRESETS[preset]
    p = random_parameters(c, seed)
    optimizer = make_optimizer(p, c, TRAIN_DEFAULTS)
    g = torch.Generator().manual_seed(seed + 1)
    res, ctx, vocab = c["imageResolution"], c["contextLength"], c["vocabularySize"]
    images = torch.randn(batch, 3, res, res, generator=g)
    # Captions like the Swift bench's: start token, random words, end token, zero padding.
    lengths = torch.randint(4, ctx, (batch,), generator=g)
    tokens = torch.zeros(batch, ctx, dtype=torch.long)
    for row, length in enumerate(lengths.tolist()):
        tokens[row, 0] = vocab - 2
        tokens[row, 1:length - 1] = torch.randint(0, 500, (length - 2,), generator=g)
        tokens[row, length - 1] = vocab - 1
    ends = lengths - 1
    times = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        compute_gradients(images, tokens, ends, p, c, optimizer)
        apply_gradients(p, optimizer, 1e-4, TRAIN_DEFAULTS["maxGradientNorm"])
        if i >= warmup:
            times.append(time.perf_counter() - start)
    print(json.dumps(dict(preset=preset, batch=batch, threads=torch.get_num_threads(), steps=steps,
                          median_ms=1000 * statistics.median(times), mean_ms=1000 * statistics.fmean(times),
                          torch=torch.__version__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("compare")
    c.add_argument("folder")
    b = sub.add_parser("bench")
    b.add_argument("--preset", choices=sorted(PRESETS), required=True)
    b.add_argument("--batch", type=int, default=32)
    b.add_argument("--threads", type=int, default=1)
    b.add_argument("--steps", type=int, default=10)
    b.add_argument("--warmup", type=int, default=2)
    b.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.command == "compare":
        sys.exit(compare(args.folder))
    bench(args.preset, args.batch, args.threads, args.steps, args.warmup, args.seed)


if __name__ == "__main__":
    main()
