import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Bytes of a file gzipped at zlib's default level (what a static server sends). */
export function gzipBytes(path: string): number {
  return gzipSync(readFileSync(path)).length;
}

/**
 * The JavaScript a page loads before running anything: the module scripts of index.html and
 * every chunk they import statically (`import … from "./x.js"`), transitively. Dynamic imports
 * (`import("./x.js")`) and workers are not part of it. Returns file names under assets/.
 */
export function initialChunks(distDir: string): string[] {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script[^>]+src="\/?assets\/([^"]+\.js)"/g)].map((m) => m[1]);
  const preloads = [
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/?assets\/([^"]+\.js)"/g),
  ].map((m) => m[1]);
  const seen = new Set<string>();
  const queue = [...entries, ...preloads];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(distDir, 'assets', file), 'utf8');
    // Static imports and re-exports only: `import("./x.js")` is dynamic and has a `(`.
    for (const m of code.matchAll(/(?:\bimport|\bfrom)\s*["']\.\/([^"']+\.js)["']/g))
      queue.push(m[1]);
  }
  return [...seen];
}
