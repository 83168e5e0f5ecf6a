"""Real-size checkpoints for Strata's W6 benchmark (bench/run.ts), and PyTorch's side of it.

  real_models.py make DIR
      Writes DIR/vit-b16 (ViTForImageClassification(ViTConfig(num_labels=10)): ViT-B/16, 224×224,
      86M parameters, 343 MB) and DIR/bert-base (BertForSequenceClassification(BertConfig()):
      BERT-base, 110M parameters, 438 MB), each as config.json + model.safetensors with seeded
      random weights, and their inputs: vit-b16/input.npy (pixel_values [8, 3, 224, 224] float32)
      and bert-base/input.npz (input_ids [8, 128] int64 and attention_mask, rows 4..7 padded after
      64 tokens). A folder already made by this version of the script is kept.
  real_models.py torch DIR NAME [--threads 2] [--batch B] [--reps 3] [--compare FILE.npz]
      Loads DIR/NAME with transformers on the CPU and times it; runs its input through the model in
      batches with output_hidden_states (median of reps after one warm-up); with --compare, the
      largest |Δ| / max(1, |value|) between its hidden states and those in FILE.npz (as
      `strata hidden-states` writes them), padded positions included. Prints one JSON object.
Never run by `npm test`; the folders stay out of git (bench/models is ignored).
"""

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import torch

VERSION = "1"
MODELS = {
    "vit-b16": {"classes": 10},
    "bert-base": {"classes": 2},
}
N, TOKENS, PADDED_FROM, KEPT = 8, 128, 4, 64


def build(name):
    from transformers import (BertConfig, BertForSequenceClassification, ViTConfig,
                              ViTForImageClassification)

    torch.manual_seed(0)
    if name == "vit-b16":
        return ViTForImageClassification(ViTConfig(num_labels=MODELS[name]["classes"]))
    return BertForSequenceClassification(BertConfig(num_labels=MODELS[name]["classes"]))


def write_input(name, folder, vocab_size):
    rng = np.random.default_rng(1)
    if name == "vit-b16":
        pixels = rng.uniform(-1, 1, size=(N, 3, 224, 224)).astype(np.float32)
        np.save(folder / "input.npy", pixels)
        return
    ids = rng.integers(1000, vocab_size, size=(N, TOKENS), dtype=np.int64)
    ids[:, 0] = 101  # [CLS]
    mask = np.ones((N, TOKENS), dtype=np.int64)
    ids[PADDED_FROM:, KEPT - 1] = 102  # [SEP] before the padding
    ids[PADDED_FROM:, KEPT:] = 0
    mask[PADDED_FROM:, KEPT:] = 0
    np.savez(folder / "input.npz", input_ids=ids, attention_mask=mask)


def make_folders(out, names, build_one, write_one):
    """Makes DIR/NAME for each name (config.json, model.safetensors, its input) unless this
    version of the calling script made it already (made-by.txt)."""
    for name in names:
        folder = Path(out) / name
        stamp = folder / "made-by.txt"
        if stamp.exists() and stamp.read_text().strip() == VERSION:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        model = build_one(name).eval()
        model.save_pretrained(folder, safe_serialization=True)
        write_one(name, folder, model.config)
        stamp.write_text(VERSION + "\n")
        print(f"made {folder}", file=sys.stderr)


def make(out):
    make_folders(out, MODELS, build,
                 lambda name, folder, config: write_input(name, folder, getattr(config, "vocab_size", 0)))


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def inputs_of(name, folder):
    if name == "vit-b16":
        return {"pixel_values": torch.from_numpy(np.load(folder / "input.npy"))}
    data = np.load(folder / "input.npz")
    return {k: torch.from_numpy(data[k]) for k in ("input_ids", "attention_mask")}


def max_rel_diff(states, path, where=Ellipsis):
    """The largest |Δ| / max(1, |value|) between the hidden states and those `strata hidden-states`
    wrote to `path`, over the [N, T] positions `where` selects (all by default)."""
    theirs = np.load(path)
    worst = 0.0
    for layer, ours in enumerate(states):
        other = theirs[f"hidden_{layer}"]
        if other.shape != ours.shape:
            raise SystemExit(f"hidden_{layer}: shape {other.shape} in {path}, expected {ours.shape}")
        worst = max(worst, float(np.max((np.abs(other - ours) / np.maximum(1, np.abs(ours)))[where])))
    return worst


def run_torch(args):
    from transformers import AutoModelForImageClassification, AutoModelForSequenceClassification

    torch.set_num_threads(args.threads)
    folder = Path(args.dir) / args.name
    before = peak_rss_mb()
    start = time.perf_counter()
    auto = AutoModelForImageClassification if args.name == "vit-b16" else AutoModelForSequenceClassification
    model = auto.from_pretrained(folder).eval()
    load_ms = (time.perf_counter() - start) * 1000
    inputs = inputs_of(args.name, folder)
    n = next(iter(inputs.values())).shape[0]

    def forward():
        states = None
        with torch.no_grad():
            for s in range(0, n, args.batch):
                out = model(**{k: v[s : s + args.batch] for k, v in inputs.items()},
                            output_hidden_states=True)
                part = [h.numpy() for h in out.hidden_states]
                states = part if states is None else [np.concatenate([a, b]) for a, b in zip(states, part)]
        return states

    states = forward()  # warm-up
    times = []
    for _ in range(args.reps):
        start = time.perf_counter()
        forward()
        times.append((time.perf_counter() - start) * 1000)
    result = {
        "loadMs": load_ms,
        "forwardMs": sorted(times)[len(times) // 2],
        "forwardTimes": times,
        "samples": int(n),
        "peakRssMb": peak_rss_mb(),
        "rssBeforeMb": before,
        "parameters": sum(p.numel() for p in model.parameters()),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }
    if args.compare:
        result["maxRelDiff"] = max_rel_diff(states, args.compare)
    print(json.dumps(result))


def main(models=MODELS, make_all=make, run=None, extra_flags=()):
    """The command line of this script, or of another with its own models, make and torch run."""
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("make").add_argument("dir")
    t = sub.add_parser("torch")
    t.add_argument("dir")
    t.add_argument("name", choices=list(models))
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--batch", type=int, default=4)
    t.add_argument("--reps", type=int, default=3)
    for flag in ("--compare", *extra_flags):
        t.add_argument(flag)
    args = parser.parse_args()
    if args.command == "make":
        make_all(args.dir)
    else:
        (run or run_torch)(args)


if __name__ == "__main__":
    main()
