"""Real-size decoder language models for Strata's W6 benchmark (bench/run.ts), and PyTorch's side.

  real_decoders.py make DIR
      Writes DIR/gpt2-small (GPT2LMHeadModel(GPT2Config()): GPT-2 small, 124M parameters, vocabulary
      50257, tied embeddings) and DIR/llama-small (LlamaForCausalLM: hidden 768, 12 layers, 12 heads
      with 4 key/value heads, MLP 2048, vocabulary 32000, RoPE theta 10000, untied head: 125M
      parameters), each as config.json + model.safetensors with seeded random weights, and
      input.npz: input_ids [8, 128] int64 and attention_mask, rows 4..7 padded after 64 tokens
      (right padding). No tokenizer: the commands read the ids. A folder already made by this
      version of the script is kept.
  real_decoders.py torch DIR NAME [--threads 2] [--batch B] [--reps 3] [--compare FILE.npz]
          [--lens LENS.json]
      Loads DIR/NAME with transformers on the CPU; times the forward with output_hidden_states
      (median of reps after one warm-up) and, once, the logit lens (every layer through the final
      norm and the head, scored in float64 as Strata's lens.json defines it). --compare: the largest
      |Δ| / max(1, |value|) between its hidden states and FILE.npz's (`strata hidden-states`) over
      the real positions (padded ones differ by design of the attention mask); --lens: the same for
      the lens' per-layer loss, KL and rank, and the largest |Δ| of accuracy. Prints one JSON object.
Never run by `npm test`; the folders stay out of git (bench/models is ignored).
"""

import json
import time
from pathlib import Path

import numpy as np
import torch

from real_models import main, make_folders, max_rel_diff, peak_rss_mb

MODELS = ("gpt2-small", "llama-small")
N, TOKENS, PADDED_FROM, KEPT = 8, 128, 4, 64


def build(name):
    from transformers import GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    if name == "gpt2-small":
        return GPT2LMHeadModel(GPT2Config())
    return LlamaForCausalLM(LlamaConfig(
        vocab_size=32000, hidden_size=768, intermediate_size=2048, num_hidden_layers=12,
        num_attention_heads=12, num_key_value_heads=4, max_position_embeddings=2048,
        rope_theta=10000.0, tie_word_embeddings=False))


def write_input(folder, vocab_size):
    rng = np.random.default_rng(1)
    ids = rng.integers(0, vocab_size, size=(N, TOKENS), dtype=np.int64)
    mask = np.ones((N, TOKENS), dtype=np.int64)
    ids[PADDED_FROM:, KEPT:] = 0
    mask[PADDED_FROM:, KEPT:] = 0
    np.savez(folder / "input.npz", input_ids=ids, attention_mask=mask)


def make(out):
    make_folders(out, MODELS, build, lambda name, folder, config: write_input(folder, config.vocab_size))


def final_norm_and_head(model):
    norm = model.transformer.ln_f if hasattr(model, "transformer") else model.model.norm
    return norm, model.lm_head


def lens_sums(model, hidden, logits, ids, mask, positions=64):
    """Per layer [correct, nll, kl, rank] summed over positions t with tokens t and t+1 real.

    Scored `positions` at a time: a float64 [P, V] takes 400 KB a position for GPT-2's 50257
    words, and a batch's 508 positions with their copies would take gigabytes at once."""
    norm, head = final_norm_and_head(model)
    keep = (mask[:, :-1] == 1) & (mask[:, 1:] == 1)
    nxt = ids[:, 1:][keep]
    last = logits[:, :-1][keep]
    sums = np.zeros((len(hidden), 4))
    for start in range(0, len(nxt), positions):
        part = slice(start, start + positions)
        final = torch.log_softmax(last[part].double(), -1)
        top = final.argmax(-1)
        for layer, h in enumerate(hidden):
            raw = last[part] if layer == len(hidden) - 1 else head(norm(h[:, :-1][keep][part]))
            log_p = torch.log_softmax(raw.double(), -1)
            top_logit = raw.gather(1, top[:, None])
            sums[layer] += [
                float((raw.argmax(-1) == nxt[part]).sum()),
                float(-log_p.gather(1, nxt[part][:, None]).sum()),
                float((final.exp() * (final - log_p)).sum()),
                float((raw > top_logit).sum() + len(raw)),
            ]
    return sums, int(keep.sum())


def run_torch(args):
    from transformers import AutoModelForCausalLM

    torch.set_num_threads(args.threads)
    folder = Path(args.dir) / args.name
    start = time.perf_counter()
    model = AutoModelForCausalLM.from_pretrained(folder).eval()
    load_ms = (time.perf_counter() - start) * 1000
    data = np.load(folder / "input.npz")
    ids = torch.from_numpy(data["input_ids"])
    mask = torch.from_numpy(data["attention_mask"])
    n = ids.shape[0]

    def forward(lens=False):
        states, sums, tokens = None, 0, 0
        with torch.no_grad():
            for s in range(0, n, args.batch):
                out = model(input_ids=ids[s : s + args.batch], attention_mask=mask[s : s + args.batch],
                            output_hidden_states=True)
                if lens:
                    part, count = lens_sums(model, out.hidden_states, out.logits, ids[s : s + args.batch],
                                            mask[s : s + args.batch])
                    sums, tokens = sums + part, tokens + count
                part = [h.numpy() for h in out.hidden_states]
                states = part if states is None else [np.concatenate([a, b]) for a, b in zip(states, part)]
        return states, sums, tokens

    forward()  # warm-up
    times = []
    for _ in range(args.reps):
        start = time.perf_counter()
        forward()
        times.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    states, sums, tokens = forward(lens=True)
    lens_ms = (time.perf_counter() - start) * 1000
    means = sums / tokens
    result = {
        "loadMs": load_ms,
        "forwardMs": sorted(times)[len(times) // 2],
        "forwardTimes": times,
        "lensMs": lens_ms,
        "samples": int(n),
        "peakRssMb": peak_rss_mb(),
        "parameters": sum(p.numel() for p in model.parameters()),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "lens": {"accuracy": means[:, 0].tolist(), "loss": means[:, 1].tolist(),
                 "kl": means[:, 2].tolist(), "rank": means[:, 3].tolist(), "tokens": tokens},
    }
    if args.compare:
        result["maxRelDiff"] = max_rel_diff(states, args.compare, data["attention_mask"] == 1)
    if args.lens:
        theirs = json.loads(Path(args.lens).read_text())
        if theirs["tokens"] != tokens:
            raise SystemExit(f"{args.lens}: {theirs['tokens']} positions scored, expected {tokens}")
        def rel(key, column):
            ref = means[:, column]
            return float(np.max(np.abs(np.array(theirs[key]) - ref) / np.maximum(1, np.abs(ref))))

        result["lensMaxRelDiff"] = max(rel("loss", 1), rel("kl", 2), rel("rank", 3))
        result["lensAccuracyMaxDiff"] = float(np.max(np.abs(np.array(theirs["accuracy"]) - means[:, 0])))
    print(json.dumps(result))


if __name__ == "__main__":
    main(MODELS, make, run_torch, extra_flags=("--lens",))
