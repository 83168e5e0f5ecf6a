import type { BackendName } from '../engine/backend';

const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Options read from the URL's query string; a bad value is reported, never thrown. */
export interface UrlOptions {
  backend?: BackendName;
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
  return { backend, notices };
}
