// A session file: one zip (`strata-session-<date>.strata.zip`) with a manifest.json (the config,
// the fine-tune results and a list of checkpoints) and each checkpoint's files, so a session moves
// to another machine. Reading checks everything before anything is used; errors name the file
// and the entry.
import { strFromU8, strToU8, zipSync } from 'fflate';
import type { EvalLog, ModelInfo } from '../../engine/apiTypes';
import { MAX_IMPORT_BYTES } from '../../engine/import/readBlob';
import { readSafetensors } from '../../engine/io/safetensors';
import { readZipEntries } from '../../engine/io/zip';
import { configFromJson } from '../../engine/model/configJson';
import { LOSS_KINDS, WEIGHTINGS, type ExplorerConfig } from '../state/config';
import { sanitizeConfig } from '../state/configSchema';
import type { SavedBytes, SavedRun } from './savedRuns';

export const SESSION_FORMAT = 'strata-session';
export const SESSION_VERSION = 1;
const MANIFEST = 'manifest.json';

/** A checkpoint in a session: its saved run (without storage keys) and its files. */
export interface SessionCheckpoint {
  run: Omit<SavedRun, 'bytesKey' | 'savedAt'>;
  bytes: SavedBytes;
}

export interface Session {
  createdAt: string;
  config: Omit<ExplorerConfig, 'backend'>;
  /** The fine-tune on show: its model id and evaluations. */
  results: { training: { modelId: string | null; evals: EvalLog[] } };
  checkpoints: SessionCheckpoint[];
}

/** `strata-session-2026-11-30.strata.zip` */
export function sessionFileName(date: Date): string {
  return `strata-session-${date.toISOString().slice(0, 10)}.strata.zip`;
}

const filesOf = (id: string) => ({
  weights: `checkpoints/${id}/model.safetensors`,
  config: `checkpoints/${id}/config.json`,
  optimizer: `checkpoints/${id}/optimizer.safetensors`,
});

export function writeSessionFile(session: Session): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  const checkpoints = session.checkpoints.map(({ run, bytes }) => {
    const files = filesOf(run.id);
    entries[files.weights] = bytes.weights;
    entries[files.config] = bytes.config;
    entries[files.optimizer] = bytes.optimizer;
    return { ...run, files };
  });
  const manifest = {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    createdAt: session.createdAt,
    config: session.config,
    results: session.results,
    checkpoints,
  };
  entries[MANIFEST] = strToU8(JSON.stringify(manifest, null, 1));
  // Weights hardly compress: level 1 keeps export fast.
  return zipSync(entries, { level: 1 });
}

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const ID = /^[A-Za-z0-9][\w.-]{0,99}$/;
const STATES = ['running', 'paused', 'stopped', 'done'] as const;

/** Reads and checks a session file; throws `<file>: <entry>: <what was expected>`. */
export function readSessionFile(bytes: Uint8Array, fileName: string): Session {
  const fail = (where: string, detail: string) =>
    new Error(`${fileName}: ${where ? `${where}: ` : ''}${detail}`);
  // The zip reader's errors name the file; it refuses what inflates past the page's memory budget.
  const entries: Record<string, Uint8Array> = Object.fromEntries(
    readZipEntries(bytes, fileName, { maxTotalBytes: MAX_IMPORT_BYTES }).map((e) => [
      e.name,
      e.data,
    ]),
  );
  const manifestBytes = entries[MANIFEST];
  if (!manifestBytes) throw fail('', `no ${MANIFEST}; expected a Strata session file`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(strFromU8(manifestBytes));
  } catch (e) {
    throw fail(MANIFEST, `not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(manifest) || manifest.format !== SESSION_FORMAT)
    throw fail(MANIFEST, `"format" must be "${SESSION_FORMAT}"`);
  if (manifest.version !== SESSION_VERSION)
    throw fail(MANIFEST, `version ${String(manifest.version)}, expected ${SESSION_VERSION}`);

  const { config, notices } = sanitizeConfig(manifest.config);
  if (!isObject(manifest.config)) throw fail(`${MANIFEST} config`, 'expected an object');
  if (notices.length) throw fail(`${MANIFEST} config`, notices[0]);
  delete config.backend;

  const results = manifest.results;
  if (!isObject(results) || !isObject(results.training))
    throw fail(`${MANIFEST} results`, 'expected {training: {modelId, evals}}');
  const { modelId } = results.training;
  if (modelId !== null && (typeof modelId !== 'string' || !ID.test(modelId)))
    throw fail(`${MANIFEST} results.training.modelId`, 'expected a model id or null');
  const evals = checkEvals(results.training.evals, `${MANIFEST} results.training.evals`, fail);

  if (!Array.isArray(manifest.checkpoints))
    throw fail(`${MANIFEST} checkpoints`, 'expected a list');
  const ids = new Set<string>();
  const used = new Set<string>([MANIFEST]);
  const checkpoints = manifest.checkpoints.map((raw: unknown, i: number): SessionCheckpoint => {
    const where = `${MANIFEST} checkpoints[${i}]`;
    if (!isObject(raw)) throw fail(where, 'expected an object');
    const id = raw.id;
    if (typeof id !== 'string' || !ID.test(id))
      throw fail(`${where}.id`, 'expected an id of letters, digits, ".", "_" or "-"');
    if (ids.has(id)) throw fail(`${where}.id`, `"${id}" appears twice`);
    ids.add(id);
    const info = checkInfo(raw.info, id, `${where}.info`, fail);
    const request = raw.request;
    if (
      !isObject(request) ||
      !isCount(request.steps) ||
      !isCount(request.batchSize) ||
      !isNumber(request.lr) ||
      !isCount(request.seed) ||
      !isCount(request.evalEvery) ||
      typeof request.baseModelId !== 'string' ||
      typeof request.dataset !== 'string' ||
      !LOSS_KINDS.includes(request.loss as never) ||
      !WEIGHTINGS.includes(request.weighting as never)
    )
      throw fail(
        `${where}.request`,
        'expected a fine-tune request (steps, batchSize, lr, seed, …)',
      );
    if (!isCount(raw.step) || raw.step > request.steps)
      throw fail(`${where}.step`, `expected a whole number from 0 to ${request.steps}`);
    if (!STATES.includes(raw.state as never))
      throw fail(`${where}.state`, `expected one of ${STATES.join(', ')}`);
    const position = raw.dataPosition;
    if (!isObject(position) || !isCount(position.epoch) || !isCount(position.batch))
      throw fail(`${where}.dataPosition`, 'expected {epoch, batch}');
    const curve = raw.curve;
    if (
      !Array.isArray(curve) ||
      !curve.every(
        (p) => isObject(p) && typeof p.series === 'string' && isNumber(p.x) && isNumber(p.y),
      )
    )
      throw fail(`${where}.curve`, 'expected a list of {series, x, y}');
    const files = filesOf(id);
    const file = (key: keyof SavedBytes) => {
      const name = files[key];
      const data = entries[name];
      if (!data) throw fail(name, `missing (listed by ${where})`);
      used.add(name);
      return data;
    };
    const bytes = {
      weights: file('weights'),
      config: file('config'),
      optimizer: file('optimizer'),
    };
    readSafetensors(bytes.weights, `${fileName}: ${files.weights}`);
    readSafetensors(bytes.optimizer, `${fileName}: ${files.optimizer}`);
    let json: unknown;
    try {
      json = JSON.parse(strFromU8(bytes.config));
    } catch (e) {
      throw fail(files.config, `not valid JSON (${(e as Error).message})`);
    }
    configFromJson(json, `${fileName}: ${files.config}`);
    return {
      run: {
        id,
        info,
        request: request as unknown as SavedRun['request'],
        step: raw.step,
        state: raw.state as SavedRun['state'],
        dataPosition: { epoch: position.epoch as number, batch: position.batch as number },
        evals: checkEvals(raw.evals, `${where}.evals`, fail),
        curve: curve as SavedRun['curve'],
      },
      bytes,
    };
  });
  const stray = Object.keys(entries).filter((name) => !used.has(name) && !name.endsWith('/'));
  if (stray.length)
    throw fail(stray[0], 'not listed in manifest.json (a session holds only the files it lists)');
  return {
    createdAt: typeof manifest.createdAt === 'string' ? manifest.createdAt : '',
    config,
    results: { training: { modelId: modelId as string | null, evals } },
    checkpoints,
  };
}

function checkInfo(
  raw: unknown,
  id: string,
  where: string,
  fail: (where: string, detail: string) => Error,
): ModelInfo {
  if (
    !isObject(raw) ||
    raw.id !== id ||
    typeof raw.title !== 'string' ||
    typeof raw.dataset !== 'string' ||
    !LOSS_KINDS.includes(raw.loss as never) ||
    !isCount(raw.numLayers) ||
    !isCount(raw.hiddenSize) ||
    !isCount(raw.numClasses) ||
    !['image', 'text'].includes(raw.kind as string) ||
    typeof raw.perLayerHeads !== 'boolean'
  )
    throw fail(
      where,
      `expected the model record of "${id}" (id, title, dataset, loss, numLayers, …)`,
    );
  return { ...(raw as unknown as ModelInfo), builtin: false };
}

function checkEvals(
  raw: unknown,
  where: string,
  fail: (where: string, detail: string) => Error,
): EvalLog[] {
  const ok =
    Array.isArray(raw) &&
    raw.every(
      (e) =>
        isObject(e) &&
        isCount(e.step) &&
        isCount(e.n) &&
        Array.isArray(e.accuracy) &&
        e.accuracy.every(isNumber) &&
        Array.isArray(e.loss) &&
        e.loss.every((x: unknown) => isNumber(x) || x === null),
    );
  if (!ok) throw fail(where, 'expected a list of {step, n, accuracy: number[], loss: number[]}');
  return raw as EvalLog[];
}
