// Times the vit-mnist model in Node: forward, and forward + backward of the mean last-layer
// cross-entropy (what one standard training step costs before the optimiser).
// Run (tfjs's ES modules need the resolve hook the CLI uses):
//   node --import 'data:text/javascript,import{register}from"node:module";import{pathToFileURL}from"node:url";register("./bin/tfjs-resolve.mjs",pathToFileURL("./"));' \
//     --import tsx src/engine/model/benchmark.ts [wasm] [cpu] [--batch 128] [--reps 5]
import { tf } from '../tf';
import type { Tensor2D, Tensor4D } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import type { BackendName } from '../backend';
import { PRESETS } from './config';
import { forward } from './forward';
import { disposeParams, initParams } from './params';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function meanCrossEntropy(logits: Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const oneHot = tf.cast(tf.oneHot(labels, logits.shape[1]), 'float32');
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

async function time(reps: number, f: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < reps + 1; r++) {
    const start = performance.now();
    const out = f();
    // sync point: wait for the backend to finish before stopping the clock.
    await Promise.all((Array.isArray(out) ? out : [out]).map((t) => t.data()));
    if (r > 0) times.push(performance.now() - start); // the first run warms up
    tf.dispose(out);
  }
  return median(times);
}

async function main(): Promise<void> {
  const backends = process.argv
    .slice(2)
    .filter((a): a is BackendName => a === 'cpu' || a === 'wasm');
  const batch = option('batch', 128);
  const reps = option('reps', 5);
  const config = PRESETS['vit-mnist'];
  for (const backend of backends.length ? backends : (['wasm', 'cpu'] as const)) {
    await initNodeBackend(backend);
    const params = initParams(config, 0);
    const pixels = tf.randomUniform([batch, 1, 28, 28], 0, 1, 'float32', 1) as Tensor4D;
    const labels = tf.tensor1d(
      Array.from({ length: batch }, (_, i) => i % 10),
      'int32',
    );
    const fwd = await time(reps, () =>
      tf.tidy(() => forward(params, config, { kind: 'image', pixels }).finalLogits),
    );
    const fwdAll = await time(reps, () =>
      tf.tidy(() => forward(params, config, { kind: 'image', pixels }).logits),
    );
    const step = await time(reps, () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() =>
          meanCrossEntropy(
            forward(params, config, { kind: 'image', pixels }, { layers: 'last' }).logits[0],
            labels,
          ),
        );
        return [value, ...Object.values(grads)];
      }),
    );
    console.log(
      `${backend}: batch ${batch}, vit-mnist — forward ${fwd.toFixed(1)} ms, ` +
        `forward + every layer's logits ${fwdAll.toFixed(1)} ms, forward + backward (last-layer CE) ${step.toFixed(1)} ms`,
    );
    tf.dispose([pixels, labels]);
    disposeParams(params);
  }
}

void main();
