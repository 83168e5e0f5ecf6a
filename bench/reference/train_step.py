"""PyTorch reference for Strata's training-step benchmark (W2, bench/run.ts).

The same model as Strata's PRESETS['vit-mnist'] (src/engine/model): a pre-LN Vision Transformer
on 28×28×1 images, 7×7 patches (16 patches + a class token = 17 tokens), width 64, 6 blocks,
4 heads, MLP 128 with exact GELU, LayerNorm ε = 1e-6, q/k/v with biases, a final LayerNorm and a
linear classifier: the shared head g. One step = forward + aligned loss + backward + AdamW:
  L_aligned = Σ_{l=1..6} λ_l CE(g(h_l[:, 0]), y),  λ_l = 2l / (L(L+1))   (docs/design.md §3)
AdamW as Strata's (src/engine/train/adamw.ts): β = (0.9, 0.999), ε = 1e-8, weight decay 0.01 on
matrices only, the global gradient norm clipped to 1.
Inputs are random pixels in [−1, 1] and random labels (the cost does not depend on the values).
Times its own loop and prints one JSON object on stdout.
Usage: train_step.py [--threads 2] [--batch 128] [--warmup 3] [--reps 20] [--attention sdpa|eager]
"""

import argparse
import json
import resource
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

IMAGE, PATCH, CHANNELS, WIDTH, LAYERS, HEADS, MLP, CLASSES, EPS = 28, 7, 1, 64, 6, 4, 128, 10, 1e-6


class Attention(nn.Module):
    def __init__(self, eager):
        super().__init__()
        self.query, self.key, self.value = (nn.Linear(WIDTH, WIDTH) for _ in range(3))
        self.output = nn.Linear(WIDTH, WIDTH)
        self.eager = eager

    def forward(self, x):
        b, t, d = x.shape
        heads = lambda y: y.view(b, t, HEADS, d // HEADS).transpose(1, 2)  # [B, H, T, dh]
        q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
        if self.eager:
            weights = torch.softmax(q @ k.transpose(-1, -2) / (d // HEADS) ** 0.5, dim=-1)
            context = weights @ v  # [B, H, T, dh]
        else:
            context = F.scaled_dot_product_attention(q, k, v)
        return self.output(context.transpose(1, 2).reshape(b, t, d))  # [B, T, D]


class Block(nn.Module):
    def __init__(self, eager):
        super().__init__()
        self.attention_norm = nn.LayerNorm(WIDTH, eps=EPS)
        self.attention = Attention(eager)
        self.mlp_norm = nn.LayerNorm(WIDTH, eps=EPS)
        self.mlp = nn.Sequential(nn.Linear(WIDTH, MLP), nn.GELU(), nn.Linear(MLP, WIDTH))

    def forward(self, x):
        x = x + self.attention(self.attention_norm(x))
        return x + self.mlp(self.mlp_norm(x))


class ViT(nn.Module):
    def __init__(self, eager):
        super().__init__()
        self.patch = nn.Conv2d(CHANNELS, WIDTH, PATCH, stride=PATCH)
        self.class_token = nn.Parameter(torch.randn(1, 1, WIDTH) * 0.02)
        self.positions = nn.Parameter(torch.randn(1, (IMAGE // PATCH) ** 2 + 1, WIDTH) * 0.02)
        self.blocks = nn.ModuleList(Block(eager) for _ in range(LAYERS))
        self.norm = nn.LayerNorm(WIDTH, eps=EPS)
        self.classifier = nn.Linear(WIDTH, CLASSES)

    def head(self, pooled):
        return self.classifier(self.norm(pooled))

    def forward(self, pixels):
        """Logits of the shared head on the class token of h_1..h_L."""
        x = self.patch(pixels).flatten(2).transpose(1, 2)  # [B, 16, D]
        x = torch.cat([self.class_token.expand(len(x), -1, -1), x], dim=1) + self.positions
        logits = []
        for block in self.blocks:
            x = block(x)
            logits.append(self.head(x[:, 0]))
        return logits


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--attention", choices=["sdpa", "eager"], default="sdpa")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    args = parser.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("train_step.py --device cuda: torch.cuda.is_available() is False")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = ViT(args.attention == "eager").to(args.device)
    matrices = [p for p in model.parameters() if p.ndim >= 2]
    others = [p for p in model.parameters() if p.ndim < 2]
    optimizer = torch.optim.AdamW(
        [{"params": matrices, "weight_decay": 0.01}, {"params": others, "weight_decay": 0.0}],
        lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
    )
    weights = [2 * l / (LAYERS * (LAYERS + 1)) for l in range(1, LAYERS + 1)]
    pool = 8
    pixels = (torch.rand(pool, args.batch, CHANNELS, IMAGE, IMAGE) * 2 - 1).to(args.device)
    labels = torch.randint(0, CLASSES, (pool, args.batch)).to(args.device)

    def step(i):
        x, y = pixels[i % pool], labels[i % pool]
        logits = model(x)
        loss = sum(w * F.cross_entropy(z, y) for w, z in zip(weights, logits))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss.item()

    times, losses = [], []
    for i in range(args.warmup + args.reps):
        start = time.perf_counter()
        losses.append(step(i))
        if i >= args.warmup:
            times.append((time.perf_counter() - start) * 1000)
    print(
        json.dumps(
            {
                "times_ms": times,
                "losses": [losses[0], losses[-1]],
                "parameters": sum(p.numel() for p in model.parameters()),
                "threads": torch.get_num_threads(),
                "attention": args.attention,
                "device": args.device,
                "torch": torch.__version__,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
