// Peak memory of loading a real-size checkpoint: a ViT of about 200 MB of float32 weights written
// to a temporary folder (never committed), then loaded in a fresh process either streamed (the
// CLI's path: header, then each tensor's byte range) or whole (the file read, then decoded).
//   node --expose-gc scripts/node-ts.mjs scripts/measure-load-memory.ts [streamed|whole|both]
import { execFileSync } from 'node:child_process';
import {
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointFolderFiles } from '../src/cli/checkpointFolder';
import { loadCheckpointFiles } from '../src/engine/import/checkpointFiles';
import { configFromHuggingFace } from '../src/engine/import/hfConfig';
import { hubTensorName } from '../src/engine/import/hfNames';
import { loadModelFiles } from '../src/engine/import/loadModelFiles';
import { disposeParams, paramSpecs } from '../src/engine/model/params';
import { initNodeBackend } from '../src/engine/nodeBackend';

const MB = 1024 * 1024;
const CONFIG = {
  architectures: ['ViTForImageClassification'],
  model_type: 'vit',
  hidden_act: 'gelu',
  hidden_size: 768,
  num_attention_heads: 12,
  intermediate_size: 3072,
  num_hidden_layers: 7,
  image_size: 224,
  patch_size: 16,
  num_channels: 3,
  layer_norm_eps: 1e-12,
  qkv_bias: true,
  id2label: { '0': 'a', '1': 'b' },
  label2id: { a: 0, b: 1 },
};

/** Writes config.json and model.safetensors tensor by tensor (random values); returns the bytes. */
function writeCheckpoint(folder: string): number {
  writeFileSync(join(folder, 'config.json'), JSON.stringify(CONFIG));
  const spec = configFromHuggingFace(CONFIG, 'config.json');
  const tensors = paramSpecs(spec.config).map((p) => ({
    name: hubTensorName(p.name, spec),
    shape: [...p.torchShape],
    bytes: 4 * p.torchShape.reduce((a, b) => a * b, 1),
  }));
  let offset = 0;
  const header: Record<string, unknown> = {};
  for (const t of tensors) {
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.bytes] };
    offset += t.bytes;
  }
  const json = Buffer.from(
    JSON.stringify(header).padEnd(Math.ceil(JSON.stringify(header).length / 8) * 8),
  );
  const fd = openSync(join(folder, 'model.safetensors'), 'w');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  writeSync(fd, length);
  writeSync(fd, json);
  for (const t of tensors) {
    const values = new Float32Array(t.bytes / 4);
    for (let i = 0; i < values.length; i++) values[i] = (Math.random() - 0.5) * 0.04;
    writeSync(fd, new Uint8Array(values.buffer));
  }
  closeSync(fd);
  return offset;
}

const rssMB = () => process.memoryUsage().rss / MB;

async function measure(mode: string, folder: string): Promise<void> {
  await initNodeBackend('cpu');
  (globalThis as { gc?: () => void }).gc?.();
  const before = rssMB();
  const start = performance.now();
  const model =
    mode === 'streamed'
      ? await loadCheckpointFiles(await checkpointFolderFiles(folder), folder)
      : loadModelFiles({
          config: new Uint8Array(readFileSync(join(folder, 'config.json'))),
          weights: new Uint8Array(readFileSync(join(folder, 'model.safetensors'))),
          source: folder,
        });
  const ms = performance.now() - start;
  const peak = process.resourceUsage().maxRSS / 1024; // kB → MB
  (globalThis as { gc?: () => void }).gc?.();
  const after = rssMB();
  disposeParams(model.params);
  console.log(
    JSON.stringify({
      mode,
      rssBeforeMB: +before.toFixed(0),
      peakRssMB: +peak.toFixed(0),
      rssAfterMB: +after.toFixed(0),
      ms: +ms.toFixed(0),
    }),
  );
}

const [mode = 'both', folderArg] = process.argv.slice(2);
if (folderArg) {
  await measure(mode, folderArg);
} else {
  const folder = mkdtempSync(join(tmpdir(), 'strata-load-memory-'));
  try {
    const bytes = writeCheckpoint(folder);
    console.log(`weights: ${(bytes / MB).toFixed(0)} MB of float32 in ${folder}`);
    for (const m of mode === 'both' ? ['streamed', 'whole'] : [mode]) {
      const line = execFileSync(
        process.execPath,
        ['--expose-gc', 'scripts/node-ts.mjs', 'scripts/measure-load-memory.ts', m, folder],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const r = JSON.parse(line.trim().split('\n').pop()!) as {
        peakRssMB: number;
        rssBeforeMB: number;
      };
      console.log(
        line.trim().split('\n').pop(),
        `peak − before = ${(r.peakRssMB - r.rssBeforeMB).toFixed(0)} MB = ${((r.peakRssMB - r.rssBeforeMB) / (bytes / MB)).toFixed(2)}× the weights`,
      );
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
