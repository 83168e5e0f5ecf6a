import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gzipBytes, initialChunks } from './pageAssets';

describe('initialChunks', () => {
  it('follows static imports from the entry, not dynamic imports or workers', () => {
    const dist = mkdtempSync(join(tmpdir(), 'bench-assets-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(
      join(dist, 'index.html'),
      '<script type="module" crossorigin src="/assets/index-a.js"></script>',
    );
    const files: Record<string, string> = {
      'index-a.js':
        'import{x}from"./shared-b.js";const w=new Worker(new URL("./worker-c.js",import.meta.url));import("./lazy-d.js");',
      'shared-b.js': 'export * from "./leaf-e.js";',
      'worker-c.js': '',
      'lazy-d.js': '',
      'leaf-e.js': 'export const x = 1;',
    };
    for (const [name, code] of Object.entries(files))
      writeFileSync(join(dist, 'assets', name), code);
    expect(initialChunks(dist).sort()).toEqual(['index-a.js', 'leaf-e.js', 'shared-b.js']);
    expect(gzipBytes(join(dist, 'assets', 'index-a.js'))).toBeGreaterThan(20);
  });
});
