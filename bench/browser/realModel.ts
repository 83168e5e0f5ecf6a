// W6 on the benchmark page: a real-size checkpoint dropped as files (the harness sets them on an
// <input type=file multiple>, so they are disk-backed Files read slice by slice), imported through
// the engine worker as the app imports a model folder, and its hidden states as the CLI asks.
import type { Remote } from 'comlink';
import type { EngineApi } from '../../src/engine/api';
import type { ImportFile } from '../../src/engine/apiTypes';
import type { NamedArray } from '../../src/engine/io/dtypes';
import { readNpy } from '../../src/engine/io/npy';
import { readNpz } from '../../src/engine/io/npz';
import type {
  BrowserRealModelResult,
  BrowserRealModelSpec,
} from '../../scripts/bench/browserSpecs';
import { hiddenStatesDifference } from '../../scripts/bench/hiddenDiff';
import { watchLongTasks } from './longTasks';

/** Inflated .npz bytes the page accepts (the reference holds every layer: ~70 MB for ViT-B/16). */
const NPZ_LIMITS = { maxTotalBytes: 1024 ** 3 };

function filesOf(id: string): File[] {
  const input = document.getElementById(id) as HTMLInputElement | null;
  if (!input?.files?.length)
    throw new Error(`bench/browser/realModel.ts: no files set on #${id}; the harness sets them`);
  return [...input.files];
}

function pick(files: readonly File[], names: readonly string[]): File {
  const found = files.find((f) => names.includes(f.name));
  if (!found)
    throw new Error(
      `bench/browser/realModel.ts: #checkpoint holds ${files.map((f) => f.name).join(', ')}; expected ${names.join(' or ')}`,
    );
  return found;
}

async function readArrays(file: File): Promise<NamedArray[]> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  return file.name.endsWith('.npy')
    ? [readNpy(bytes, file.name)]
    : readNpz(bytes, file.name, NPZ_LIMITS);
}

export function realModelJobs(engine: Remote<EngineApi>) {
  let lastStates: NamedArray[] = [];

  async function realModel(spec: BrowserRealModelSpec): Promise<BrowserRealModelResult> {
    const files = filesOf('checkpoint');
    const asImport = (f: File): ImportFile => ({ path: `model/${f.name}`, file: f });
    const config = asImport(pick(files, ['config.json']));
    const weights = asImport(pick(files, ['model.safetensors']));
    const inputFile = pick(files, ['input.npy', 'input.npz']);
    const input = await readArrays(inputFile);
    const samples = input[0].shape[0];
    lastStates = [];
    // From here on the page only waits on the worker (the harness read the input above).
    const longTasks = watchLongTasks();
    if (spec.job === 'load') {
      const start = performance.now();
      const summary = await engine.importModel({ name: 'model', config, weights });
      const ms = performance.now() - start;
      await engine.discardImportedModel(summary.token);
      const { numBytes } = await engine.memory();
      return {
        ms,
        samples,
        format: summary.architecture,
        tensorBytesAfter: numBytes,
        longTasks: await longTasks(),
      };
    }
    const start = performance.now();
    const result = await engine.hiddenStates({
      files: { config, weights },
      source: 'model',
      input,
      inputSource: inputFile.name,
      batchSize: spec.batchSize,
    });
    const ms = performance.now() - start;
    lastStates = result.arrays;
    const { numBytes } = await engine.memory();
    return {
      ms,
      samples,
      format: result.format,
      tensorBytesAfter: numBytes,
      longTasks: await longTasks(),
    };
  }

  async function compareHiddenStates() {
    const [reference] = filesOf('reference');
    return hiddenStatesDifference(lastStates, await readArrays(reference));
  }

  return { realModel, compareHiddenStates };
}
