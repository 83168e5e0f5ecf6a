/**
 * Writes the headers a static host must send, from the one policy in vite.config.ts:
 * public/_headers (Netlify, Cloudflare Pages; the build copies it to dist/) and the nginx snippet
 * in docs/hosting.md (between its `nginx:begin` / `nginx:end` markers).
 *
 *   npx tsx scripts/hostingHeaders.ts
 *
 * scripts/hostingHeaders.test.ts fails when either file drifts from the policy.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HOSTING_HEADERS } from '../vite.config';

export const HEADERS_FILE = new URL('../public/_headers', import.meta.url);
export const HOSTING_DOC = new URL('../docs/hosting.md', import.meta.url);
const BEGIN = '<!-- nginx:begin -->';
const END = '<!-- nginx:end -->';

/** The `_headers` file: every path gets the page's headers; `.wasm` files their MIME type. */
export function headersFile(headers = HOSTING_HEADERS): string {
  const lines = Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`);
  return ['/*', ...lines, '', '/*.wasm', '  Content-Type: application/wasm', ''].join('\n');
}

/**
 * The nginx snippet. `always` sends the headers on error pages too; an `add_header` inside a
 * `location` would drop the server-level ones, hence the repeat in the wasm location.
 */
export function nginxSnippet(headers = HOSTING_HEADERS): string {
  const add = (indent: string) =>
    Object.entries(headers).map(
      ([name, value]) => `${indent}add_header ${name} "${value}" always;`,
    );
  return [
    '```nginx',
    ...add(''),
    '',
    'location ~* \\.wasm$ {',
    '  types { application/wasm wasm; }',
    ...add('  '),
    '}',
    '```',
  ].join('\n');
}

/** docs/hosting.md with its nginx block replaced by `snippet`. */
export function withSnippet(doc: string, snippet = nginxSnippet()): string {
  const from = doc.indexOf(BEGIN);
  const to = doc.indexOf(END);
  if (from < 0 || to < from)
    throw new Error(`docs/hosting.md: expected the markers ${BEGIN} and ${END} around the snippet`);
  return `${doc.slice(0, from + BEGIN.length)}\n${snippet}\n${doc.slice(to)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(HEADERS_FILE, headersFile());
  writeFileSync(HOSTING_DOC, withSnippet(readFileSync(HOSTING_DOC, 'utf8')));
  console.log('wrote public/_headers and the nginx snippet of docs/hosting.md');
}
