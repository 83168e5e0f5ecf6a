import { readdirSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256, writeFileAtomic } from './files';

/**
 * Build stamps make a warm build cost a few `stat` calls. A stamp records a key (a hash of the
 * generator's source, the inputs' sizes and modification times, the dataset's manifest entry and
 * the output folder) and the size and modification time of every output. A dataset is up to date
 * when its stamp's key equals the current one and every output is still as recorded.
 */
export interface Stamp {
  key: string;
  outputs: FileStat[];
}

interface FileStat {
  path: string;
  size: number;
  mtimeMs: number;
}

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** The code whose change can change a dataset's files: this folder and the engine's data code. */
function generatorSources(): string[] {
  const scripts = join(REPO, 'scripts/datasets');
  const own = readdirSync(scripts)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(scripts, f));
  const engine = ['builtin', 'idx', 'manifest', 'order', 'tokenizer'].map((f) =>
    join(REPO, 'src/engine/data', `${f}.ts`),
  );
  return [...own.sort(), ...engine];
}

let sourcesHash: string | undefined;
function generatorHash(): string {
  sourcesHash ??= sha256(
    generatorSources()
      .map((f) => `${f}\n${sha256(readFileSync(f))}`)
      .join('\n'),
  );
  return sourcesHash;
}

async function statOf(path: string): Promise<FileStat | undefined> {
  try {
    const s = await stat(path);
    return { path, size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return undefined;
  }
}

/** The key a dataset's stamp must hold; missing inputs are part of the key (as absent). */
export async function stampKey(parts: {
  inputs: string[];
  entry: unknown;
  root: string;
}): Promise<string> {
  const inputs = await Promise.all(
    parts.inputs.map(async (p) => (await statOf(p)) ?? { path: p, missing: true }),
  );
  return sha256(
    JSON.stringify({ generator: generatorHash(), inputs, entry: parts.entry, root: parts.root }),
  );
}

function stampPath(cacheDir: string, name: string, root: string): string {
  return join(cacheDir, `${name}-${sha256(root).slice(0, 12)}.json`);
}

export async function isUpToDate(
  cacheDir: string,
  name: string,
  root: string,
  key: string,
): Promise<boolean> {
  let stamp: Stamp;
  try {
    stamp = JSON.parse(await readFile(stampPath(cacheDir, name, root), 'utf8')) as Stamp;
  } catch {
    return false;
  }
  if (stamp.key !== key) return false;
  for (const recorded of stamp.outputs) {
    const now = await statOf(recorded.path);
    if (!now || now.size !== recorded.size || now.mtimeMs !== recorded.mtimeMs) return false;
  }
  return true;
}

export async function writeStamp(
  cacheDir: string,
  name: string,
  root: string,
  key: string,
  outputs: string[],
): Promise<void> {
  const stats = await Promise.all(outputs.map(statOf));
  const missing = outputs.filter((_, i) => !stats[i]);
  if (missing.length > 0)
    throw new Error(`writeStamp: ${missing.join(', ')} missing after the build`);
  const stamp: Stamp = { key, outputs: stats as FileStat[] };
  await writeFileAtomic(stampPath(cacheDir, name, root), `${JSON.stringify(stamp, null, 1)}\n`);
}
