import type { BackendName } from '../engine/backend';
import { CONFIG_FIELDS, fieldProblem } from './state/configSchema';

const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Options read from the URL's query string; a bad value is reported, never thrown. */
export interface UrlOptions {
  backend?: BackendName;
  /** N for the first analyses (`?samples=128`: a quick first screen on a slow backend). */
  samples?: number;
  /**
   * `?test-hooks=1`: exposes `window.strata.testHooks` (losing the GPU device on purpose, reading
   * the main analysis) for end-to-end tests. Off in normal use.
   */
  testHooks: boolean;
  notices: string[];
}

export function readUrlOptions(search: string): UrlOptions {
  const params = new URLSearchParams(search);
  const notices: string[] = [];
  const raw = params.get('backend');
  let backend: BackendName | undefined;
  if (raw) {
    if ((BACKENDS as readonly string[]).includes(raw)) backend = raw as BackendName;
    else notices.push(`Ignored ?backend=${raw}: expected one of ${BACKENDS.join(', ')}.`);
  }
  const rawSamples = params.get('samples');
  let samples: number | undefined;
  if (rawSamples !== null) {
    const n = Number(rawSamples);
    const problem = rawSamples.trim() === '' ? 'expected a number' : fieldProblem('samples', n);
    if (problem) {
      const { min, max } = CONFIG_FIELDS.samples;
      notices.push(`Ignored ?samples=${rawSamples}: ${problem} (${min} to ${max}).`);
    } else samples = n;
  }
  return { backend, samples, testHooks: params.get('test-hooks') === '1', notices };
}
