import { explainProcesses } from './explainProcesses';
import { duration, FAST_PATHS } from './report';
import { PROBE_TASK } from './w4Scale';
import { TARGETS, times } from './targets';
import type { BenchResults, Row, WorkloadResult } from './types';

function find(w: WorkloadResult, task: string, impl: string): Row | undefined {
  return w.rows.find((r) => r.task.startsWith(task) && r.impl.startsWith(impl) && r.timing);
}

const gflops = (flop: number, ms: number) => (flop / ms / 1e6).toFixed(1);

function explainSimilarity(w: WorkloadResult): string[] {
  const { n, d, layers } = w.params as { n: number; d: number; layers: number };
  const pairs = (layers * (layers + 1)) / 2;
  const feature = 2 * n * d * d * pairs; // X_lᵀX_m for every pair l ≤ m
  const gram = pairs * 2 * (2 * n * n * d); // both N×N Grams rebuilt per pair
  const numpy = find(w, 'cosine + linear CKA', 'NumPy');
  const wasm = find(w, 'cosine + linear CKA', 'Strata, Node wasm');
  const cpu = find(w, 'cosine + linear CKA', 'Strata, Node cpu');
  const pairwise = find(w, 'linear CKA', 'NumPy, pair by pair');
  const out = [
    `**Why.** Linear CKA in feature space needs ${(feature / 1e9).toFixed(1)} GFLOP of matrix products ` +
      `(${pairs} products X_lᵀX_m of 2·N·D² each; cosine adds ${((2 * n * d * pairs) / 1e9).toFixed(2)} GFLOP); ` +
      `the pair-by-pair Gram algorithm needs ${(gram / 1e9).toFixed(0)} GFLOP (two N×N Grams of 2·N²·D per pair), ` +
      `${times(gram / feature)} more. Rates reached on the matrix products:`,
  ];
  const rate = (row: Row | undefined, label: string, flop: number) =>
    row
      ? [
          `- ${label}: ${gflops(flop, row.timing!.median)} GFLOP/s (${duration(row.timing!.median)})`,
        ]
      : [];
  out.push(
    ...rate(numpy, 'NumPy (OpenBLAS, both cores)', feature),
    ...rate(
      wasm,
      'Strata, Node wasm (XNNPACK with 128-bit SIMD, one thread: tfjs-backend-wasm turns threads off in Node)',
      feature,
    ),
    ...rate(cpu, 'Strata, Node cpu (plain JavaScript)', feature),
    ...rate(pairwise, 'NumPy pair by pair', gram),
  );
  const browserWasm = find(w, 'cosine + linear CKA', 'Strata, Chromium wasm');
  const webgpu = find(w, 'cosine + linear CKA', 'Strata, Chromium webgpu');
  out.push(
    ...rate(
      browserWasm,
      `${browserWasm?.impl.replace('Strata, ', '')} (the same XNNPACK build, threaded)`,
      feature,
    ),
    ...rate(webgpu, `${webgpu?.impl.replace('Strata, ', '')}`, feature),
  );
  if (numpy && wasm && wasm.timing!.median > 1.5 * numpy.timing!.median) {
    const threaded =
      browserWasm && browserWasm.timing!.median > 0.8 * wasm.timing!.median
        ? ' The threaded build in Chromium (the page is cross-origin isolated) was measured too: it is no ' +
          'faster than Node’s single thread on these products, so threads do not close the gap on this machine.'
        : ' Threads (the threaded build in a cross-origin isolated page) can gain at most the core count, 2× here.';
    out.push(
      '',
      'Strata already does the least arithmetic this formula allows (each layer centred once, each pair one ' +
        'product, nothing read back inside the loop), so the gap to NumPy is the rate of the matrix products: ' +
        '128-bit wasm SIMD (4 floats per instruction) in XNNPACK against OpenBLAS’s AVX2/FMA kernels (8 floats, ' +
        'fused multiply-add) on both cores.' +
        threaded +
        ' Fewer FLOPs would need an approximation, which the metric must not be; on a real GPU (WebGPU) the ' +
        'same products are the fast path.',
    );
  }
  return out;
}

/**
 * FLOPs of one vit-mnist training step at batch B (forward ×3 for forward + backward): linear
 * layers 2·B·T·L·(4D² + 2DM), attention products 2·2·B·H·T²·d_h·L; T = 17, D = 64, M = 128,
 * H = 4, d_h = 16, L = 6. Patch embedding and heads are under 1 % and left out.
 */
export function stepFlops(batch: number): { linear: number; attention: number } {
  const [T, D, M, H, dh, L] = [17, 64, 128, 4, 16, 6];
  return {
    linear: 3 * 2 * batch * T * L * (4 * D * D + 2 * D * M),
    attention: 3 * 2 * 2 * batch * H * T * T * dh * L,
  };
}

function explainTraining(w: WorkloadResult): string[] {
  const wasm = find(w, 'training step', 'Strata, Node wasm');
  const torch2 = find(w, 'training step', 'PyTorch CPU, 2 threads, sdpa');
  const torch1 = find(w, 'training step', 'PyTorch CPU, 1 thread');
  const fwd = find(w, 'forward + aligned loss', 'Strata, Node wasm');
  const fb = find(w, 'forward + loss + backward', 'Strata, Node wasm');
  const opt = find(w, 'AdamW update', 'Strata, Node wasm');
  if (!wasm) return [];
  const s = wasm.timing!.median;
  const out = ['**Why.** Where a Strata step on Node wasm goes (medians of separate runs):'];
  if (fwd && fb) {
    const f = fwd.timing!.median;
    const b = fb.timing!.median - f;
    const parts = [`forward + aligned loss ${duration(f)}`, `backward ${duration(b)}`];
    if (opt) parts.push(`AdamW ${duration(opt.timing!.median)}`);
    out.push(`- ${parts.join(', ')}, against ${duration(s)} for the whole step.`);
  }
  if (torch1 && torch2) {
    const [t1, t2] = [torch1.timing!.median, torch2.timing!.median];
    out.push(
      t2 < t1
        ? `- Threads: PyTorch takes ${duration(t2)} on two threads and ${duration(t1)} on one. Strata’s wasm ` +
            `runs on one thread and is ${times(s / t1)} the one-thread PyTorch step: threads explain ` +
            `${times(t1 / t2)} of the ${times(s / t2)}.`
        : `- Threads: PyTorch on two threads (${duration(t2)}) was not faster than on one (${duration(t1)}) in ` +
            'this run: other work held a core (see the load average above). Against the one-thread step ' +
            `Strata’s wasm (one thread) is ${times(s / t1)}.`,
    );
  }
  const browser = find(w, 'training step', 'Strata, Chromium wasm (threads on)');
  if (browser) {
    out.push(
      `- The threaded wasm build in Chromium takes ${duration(browser.timing!.median)} a step: the second ` +
        'thread buys little: the batched products run in a single-threaded loop (tfjs-backend-wasm’s ' +
        'batch_mat_mul_impl.cc), and W1 shows that XNNPACK’s 2-D products gain nothing from it on this machine either.',
    );
  }
  const p = w.profile;
  if (p) {
    const calls = p.kernels.reduce((a, k) => a + k.calls, 0);
    const top = p.kernels
      .slice(0, 4)
      .map((k) => `${k.kernel} ${((100 * k.ms) / p.totalMs).toFixed(0)} %`)
      .join(', ');
    out.push(
      `- Kernels: one profiled step runs ${calls} kernels for ${duration(p.totalMs)} of kernel time (${top}); ` +
        `${duration(Math.max(0, p.wallMs - p.totalMs))} of its ${duration(p.wallMs)} is JavaScript around the ` +
        'kernels (op dispatch, the gradient tape, profiling itself). The step is bound by its kernels.',
    );
    const linear = p.categories?.find((c) => c.kernel.startsWith('BatchMatMul, 2-D'));
    const { batch } = w.params as { batch: number };
    if (linear && torch2) {
      const flops = stepFlops(batch);
      const rate = flops.linear / linear.ms / 1e6; // GFLOP/s
      const floor = (flops.linear + flops.attention) / rate / 1e6; // ms at that rate
      const ratio = floor / torch2.timing!.median;
      out.push(
        `- A floor: the step needs ${((flops.linear + flops.attention) / 1e9).toFixed(2)} GFLOP of matrix ` +
          `products. The 2-D products of the linear layers already run at ${rate.toFixed(1)} GFLOP/s (XNNPACK, ` +
          `W1’s rate), so with every product at that rate and nothing else a step would still take ` +
          `${duration(floor)}, ${times(ratio)} the PyTorch step: ` +
          (ratio >= TARGETS.w2OverTorch
            ? `the ${TARGETS.w2OverTorch}× target is out of reach of one wasm thread; it needs WebGPU on a real GPU.`
            : `the ${TARGETS.w2OverTorch}× target would need the attention products at XNNPACK’s rate and almost every other ` +
              'cost gone; on this backend it is at best marginal, WebGPU on a real GPU is the way to it.'),
      );
    }
  }
  return out;
}

/** W4's probe facts, when the probe ran. */
function scaleProbe(w: WorkloadResult) {
  const f = w.rows.find((r) => r.task.startsWith(PROBE_TASK))?.facts;
  if (!f || typeof f['tf.slice ms/batch'] !== 'number') return null;
  const num = (x: unknown) => (typeof x === 'number' ? x : NaN);
  return {
    upload: num(f['heap after upload MB']),
    finite: num(f['heap after finiteness check MB']),
    slice: num(f['tf.slice ms/batch']),
    gather: num(f['tf.gather ms/batch']),
  };
}

/** W4 as measured before the streamed path and the per-layer finiteness check (commit 1e270fa). */
const W4_BEFORE = { analyzeLayers: { s: 134.3, mb: 3009 }, tensors: { s: 138.1, mb: 2300 } };

function explainScale(w: WorkloadResult): string[] {
  const out: string[] = [];
  const probe = scaleProbe(w);
  const first = w.rows.find((r) => r.timing)?.task;
  const row = (impl: string) => w.rows.find((r) => r.task === first && r.impl.includes(impl));
  const mb = (r: Row | undefined, fact: string) => Number(r?.facts?.[fact] ?? NaN);
  const host = row('analyzeLayers');
  const device = row('tensors uploaded');
  const streamed = row('made batch by batch');
  if (!first || !host || !device || !streamed) return out;
  const input = mb(device, 'input MB');
  out.push(
    `**Why (memory).** The input of the largest row is ${input} MB. Minibatch CKA needs one batch at a time, ` +
      'so the engine streams the batches: kernelStatsOfRows takes each group of batches from a row source ' +
      '(src/engine/metrics/linearKernelStats.ts) and the device never holds a whole layer. Rows made batch by ' +
      `batch, as a model’s activations can be captured, peak at ${mb(streamed, 'peak RSS MB')} MB (Node, tsx ` +
      'and tfjs are about 200 MB of it). analyzeLayers streams from the caller’s Float32Arrays (wasm heap ' +
      `${mb(host, 'wasm heap MB')} MB); its peak, ${mb(host, 'peak RSS MB')} MB, is the caller’s own ${input} MB ` +
      'plus the runtime: below 1 GB only for inputs under about 800 MB held in memory. Tensors already on the ' +
      `device are one more copy (wasm heap ${mb(device, 'wasm heap MB')} MB, peak ${mb(device, 'peak RSS MB')} MB).` +
      (probe
        ? ` The finiteness check now tests one layer at a time (Σ 0·x is NaN exactly when x holds a NaN or ` +
          `an infinity): the wasm heap is ${probe.upload} MB after the upload and ${probe.finite} MB after the check.`
        : ''),
    '',
    `Before this change (commit 1e270fa) the same largest row peaked at ${W4_BEFORE.analyzeLayers.mb} MB ` +
      `through analyzeLayers (${W4_BEFORE.analyzeLayers.s} s) and ${W4_BEFORE.tensors.mb} MB on tensors ` +
      `(${W4_BEFORE.tensors.s} s): every layer was uploaded whole, the finiteness check built three ` +
      'temporaries per element of every layer at once, and each batch was cut with tf.slice.',
  );
  if (probe) {
    out.push(
      '',
      `**Why (time).** Taking one batch of rows out of every layer costs ${probe.slice} ms with tf.slice and ` +
        `${probe.gather} ms with tf.gather. tfjs-backend-wasm’s Slice kernel reads the whole input tensor back ` +
        '(`readSync`, a copy of all N rows) before it copies the slice out, which made the run quadratic in N; ' +
        'on wasm the engine now gathers the rows of tensors on the device, and uploads them batch by batch from ' +
        'host memory. The streamed row’s time includes making the synthetic rows in JavaScript.',
    );
  }
  return out;
}

function explainLeaks(w: WorkloadResult): string[] {
  const missed = w.checks.filter((c) => c.met === false);
  if (!missed.length) return [];
  return [
    '**Why.** A growing tensor count means an entry point leaves tensors behind (see the first and last ' +
      'counts); a growing heap with a flat tensor count means JavaScript objects are kept (logs, closures).',
  ];
}

function explainPage(w: WorkloadResult): string[] {
  const badge = find(w, 'cold start to the backend badge', 'Chromium');
  const first = find(w, 'cold start to first heatmap', 'Chromium');
  const out: string[] = [];
  if (badge && first) {
    const b = badge.timing!.median;
    const f = first.timing!.median;
    out.push(
      `**Where the cold start goes.** The backend badge shows after ${duration(b)} (page scripts, the worker and ` +
        `its wasm binary fetched and compiled, the backend initialised); the first heatmap follows ${duration(f - b)} ` +
        'later (catalogue, dataset and checkpoint fetched, layers captured, similarity computed, chart drawn).',
    );
  }
  const fetched = w.rows.find((r) => r.task === 'fetched before the first heatmap')?.facts;
  if (fetched) {
    out.push(
      `Fetched on the way: ${fetched['gzip KB']} KB of JavaScript (gzip, ${fetched.chunks} chunks), ` +
        `${fetched['wasm KB']} KB of wasm, ${fetched['models + data KB']} KB of checkpoints and data ` +
        '(sizes as served, from the local preview server, so transfer time is not the bottleneck here).',
    );
  }
  if (w.profile && w.checks.some((c) => c.target.includes('50 ms') && c.met === false)) {
    out.push(
      'The long tasks run on the main thread while the worker trains: the CPU profile below names the scripts ' +
        'and functions that hold it (the page’s own chunk, the charts, garbage collection).',
    );
  }
  return out;
}

/** Why each workload stands where it does, computed from the measured numbers. */
export function explanations(results: BenchResults): Partial<Record<string, string[]>> {
  const w = results.workloads;
  return {
    W1: w.W1 ? explainSimilarity(w.W1) : [],
    W2: w.W2 ? explainTraining(w.W2) : [],
    W3: w.W3 ? explainPage(w.W3) : [],
    W4: w.W4 ? explainScale(w.W4) : [],
    W5: w.W5 ? explainLeaks(w.W5) : [],
    W7: w.W7 ? explainProcesses(w.W7, w.W1) : [],
    [FAST_PATHS]: fastPaths(results),
  };
}

function share(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(0)} %`;
}

/**
 * Fast paths the numbers point at:
 * each with the file and function, what it costs now, and the expected gain.
 */
export function fastPaths(results: BenchResults): string[] {
  const out: string[] = [];
  const w2 = results.workloads.W2;
  const step = w2 && find(w2, 'training step', 'Strata, Node wasm');
  const opt = w2 && find(w2, 'AdamW update', 'Strata, Node wasm');
  // Listed only where the expected gain is at least this share of the run it speeds up.
  const worth = 0.05;
  if (w2 && step && opt && opt.timing!.median >= worth * step.timing!.median) {
    const s = step.timing!.median;
    const o = opt.timing!.median;
    const tensors = step.facts?.['parameter tensors'];
    out.push(
      `${out.length + 1}. **AdamW, one parameter at a time** — src/engine/train/adamw.ts, \`AdamW.apply\`: about a dozen kernels per ` +
        `parameter tensor (${tensors ?? '?'} tensors, over a thousand small kernels) for ${duration(o)}, ` +
        `${share(o, s)} of the wasm step (timed alone). Updating all parameters as one flat vector ` +
        '(concatenate the gradients once, one update of m, v and θ, split back) needs about twenty kernels; ' +
        `expected gain: most of that ${share(o, s)}.`,
    );
  }
  const cats = w2?.profile?.categories;
  if (w2 && step && cats) {
    const total = w2.profile!.totalMs;
    const batched = cats.find((c) => c.kernel.startsWith('BatchMatMul, batched'));
    const identity = cats.find((c) => c.kernel.startsWith('Identity'));
    const { batch } = w2.params as { batch: number };
    if (batched) {
      // q·kᵀ and weights·v forward, two products each backward; B·H blocks of T×T×d_h; 6 layers.
      const flop = 6 * 2 * batch * 4 * 17 * 17 * 16 * 6;
      out.push(
        `${out.length + 1}. **Attention products on tfjs-backend-wasm’s scalar path** — src/engine/model/layers.ts, ` +
          `\`multiHeadAttention\` (and their gradients via matmul.ts): the 4-D products q·kᵀ and weights·v take ` +
          `${duration(batched.ms)}, ${share(batched.ms, total)} of kernel time, at ${gflops(flop, batched.ms)} GFLOP/s. ` +
          'tfjs-backend-wasm hands a product to XNNPACK only when both batch dimensions are 1 and no transpose ' +
          'flag is set (batch_mat_mul_impl.cc, `fused_batch_mat_mul`); every batched product runs a scalar ' +
          'triple loop. Rewriting attention as 2-D products would multiply its FLOPs (a [B·T, B·T] score ' +
          'matrix per head is B× the work), so the fix is in the backend (XNNPACK’s batch matrix multiply in ' +
          'tfjs-backend-wasm) or on WebGPU; expected gain on wasm: most of this share.',
      );
    }
    const own = Math.min(identity?.calls ?? 0, 2 * (w2.profile!.customGradCalls ?? 0));
    if (identity && (own / identity.calls) * identity.ms >= worth * total) {
      out.push(
        `${out.length + 1}. **Copies of saved tensors** — tfjs-core copies (an Identity kernel, a full copy on wasm) every ` +
          `tensor a gradient saves: ${identity.calls} copies per step for ${duration(identity.ms)}, ` +
          `${share(identity.ms, total)} of kernel time. Strata’s own share is the two inputs its \`matMul\` ` +
          `saves (src/engine/model/matmul.ts, through \`tf.customGrad\`’s \`save\`): about ${own} copies; ` +
          'its gradient could close over the inputs instead (tf.variableGrads keeps every forward tensor alive ' +
          'until the backward pass has run; a test should pin that down). The other copies are tfjs-core’s ' +
          `own kernels’ (Mul, Exp, Erf … save their inputs). Expected gain: about ${share(own, identity.calls)} ` +
          'of the copies.',
      );
    }
  }
  return out;
}
