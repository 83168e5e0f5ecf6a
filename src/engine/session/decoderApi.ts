// The engine methods that run a decoder (language model) or read hidden states, mixed into
// EngineApi (api.ts): each loads what it needs, runs under the device guard and a task's signal.
import type { EngineApi } from '../engineApi';
import type { BackendGuard } from './backendGuard';
import type { Transfer } from './training';
import { hiddenStatesOf } from './hiddenStates';
import { lensOf } from './decoderRequests';
import { generateOf, lmExitsOf } from './lmRequests';
import { decoderSimilarityOf } from './decoderSimilarityRequest';

export type DecoderApi = Pick<
  EngineApi,
  'hiddenStates' | 'lens' | 'decoderSimilarity' | 'lmExits' | 'generate'
>;

export interface DecoderApiDeps {
  /** Throws unless init() has started a backend. */
  requireBackend(): void;
  /** Runs `call` with the signal of `task`, which abortTask(task) aborts. */
  withTask<T>(task: string | undefined, call: (signal?: AbortSignal) => Promise<T>): Promise<T>;
  /** Runs an engine call so that a device loss interrupts it cleanly. */
  guarded: BackendGuard['run'];
  /** Moves large buffers to the page instead of copying them (absent in Node). */
  transfer?: Transfer;
}

export function createDecoderApi({
  requireBackend,
  withTask,
  guarded,
  transfer,
}: DecoderApiDeps): DecoderApi {
  return {
    async hiddenStates(request, onProgress, task, sink) {
      requireBackend();
      const result = await withTask(task, (signal) =>
        guarded(() => hiddenStatesOf(request, onProgress, signal, sink)),
      );
      // Tens of MB at real size, made for this call: moved to the page, since a copy is
      // deserialised on the page's main thread (823 ms for ViT-B/16's 8 images in Chromium).
      const buffers = new Set(result.arrays.map((a) => a.data.buffer as ArrayBuffer));
      return transfer ? transfer(result, [...buffers]) : result;
    },
    async lens(request, onProgress, task) {
      requireBackend();
      return withTask(task, (signal) => guarded(() => lensOf(request, onProgress, signal)));
    },
    async decoderSimilarity(request, onProgress, task) {
      requireBackend();
      return withTask(task, (signal) =>
        guarded(() => decoderSimilarityOf(request, onProgress, signal)),
      );
    },
    async lmExits(request, onProgress, task) {
      requireBackend();
      return withTask(task, (signal) => guarded(() => lmExitsOf(request, onProgress, signal)));
    },
    async generate(request, onProgress, task) {
      requireBackend();
      return withTask(task, (signal) => guarded(() => generateOf(request, onProgress, signal)));
    },
  };
}
