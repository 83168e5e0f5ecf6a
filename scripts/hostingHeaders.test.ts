// The headers shipped for static hosts must be the ones the preview server sends: a policy
// changed in vite.config.ts and not in these files would break the worker on a real host only.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HOSTING_HEADERS } from '../vite.config';
import {
  HEADERS_FILE,
  HOSTING_DOC,
  headersFile,
  nginxSnippet,
  withSnippet,
} from './hostingHeaders';

const rerun = 'out of date: run npx tsx scripts/hostingHeaders.ts';

/** The `Name: value` lines under one path of a `_headers` file. */
function headersFor(file: string, path: string): Record<string, string> {
  const blocks = file.split(/\n(?=\S)/);
  const block = blocks.find((b) => b.split('\n')[0].trim() === path);
  if (!block) throw new Error(`public/_headers: no block for ${path}`);
  const lines = block
    .split('\n')
    .slice(1)
    .filter((l) => l.trim());
  return Object.fromEntries(
    lines.map((l) =>
      l
        .trim()
        .split(/:\s(.*)/s)
        .slice(0, 2),
    ),
  );
}

describe('hosting headers', () => {
  it('public/_headers sends the policy, isolation and the wasm MIME type', () => {
    const file = readFileSync(HEADERS_FILE, 'utf8');
    expect(headersFor(file, '/*')).toEqual(HOSTING_HEADERS);
    expect(headersFor(file, '/*.wasm')).toEqual({ 'Content-Type': 'application/wasm' });
    expect(file, rerun).toBe(headersFile());
  });

  it("docs/hosting.md's nginx snippet adds every header, in the server and the wasm location", () => {
    const doc = readFileSync(HOSTING_DOC, 'utf8');
    const added = [...doc.matchAll(/^\s*add_header (\S+) "([^"]*)" always;$/gm)];
    const expected = Object.entries(HOSTING_HEADERS);
    expect(added.map((m) => [m[1], m[2]])).toEqual([...expected, ...expected]);
    expect(doc).toContain('types { application/wasm wasm; }');
    expect(doc, rerun).toBe(withSnippet(doc, nginxSnippet()));
  });

  it('the policy includes what the engine needs: COOP/COEP and wasm compilation', () => {
    expect(HOSTING_HEADERS['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(HOSTING_HEADERS['Cross-Origin-Embedder-Policy']).toBe('require-corp');
    expect(HOSTING_HEADERS['Content-Security-Policy']).toContain("'wasm-unsafe-eval'");
  });
});
