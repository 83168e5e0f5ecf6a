// W6 run in part (`--w6 decoders` or `--w6 encoders`): the fresh part's rows, checks and notes,
// and the other part's kept from the previous results, so that rerunning the decoders does not
// cost the hour the encoders' Chromium rows take.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { W6Part } from './options';
import type { BenchResults, WorkloadResult } from './types';
import { DECODER_TITLES } from './w6Decoders';

/** Characters at the start of a note that tell which note it is, whatever its later wording. */
const NOTE_OPENING = 30;

/** Whether a W6 row (by its task), check (by its target) or note is about a decoder. */
export function isDecoderText(text: string): boolean {
  return (
    DECODER_TITLES.some((title) => text.startsWith(title)) ||
    /^W6 (gpt2-small|llama-small) /.test(text) ||
    text.startsWith('Decoders')
  );
}

/**
 * `fresh` (a run of `part` alone) with the rows, checks and notes of the other part taken from
 * `previous`, encoders first as a whole run orders them; a note says when the kept rows ran.
 */
export function mergeW6Part(
  previous: WorkloadResult | null,
  fresh: WorkloadResult,
  part: W6Part,
): WorkloadResult {
  if (part === 'all' || !previous) return fresh;
  const kept = (text: string) => isDecoderText(text) === (part === 'encoders');
  const order = <T>(old: T[], now: T[]) =>
    part === 'decoders' ? [...old, ...now] : [...now, ...old];
  const when = `${previous.ranAt.slice(0, 16).replace('T', ' ')} UTC, load average ${previous.loadBefore.toFixed(2)} before`;
  // The notes on both parts come with every run: an old one the fresh run wrote again (in its
  // words of today) is left out.
  const opening = (n: string) => n.slice(0, NOTE_OPENING);
  const isFresh = (n: string) => fresh.notes.some((f) => opening(f) === opening(n));
  const other = part === 'decoders' ? 'ViT-B/16 and BERT-base' : 'GPT-2 small and Llama';
  return {
    ...fresh,
    rows: order(
      previous.rows.filter((r) => kept(r.task)),
      fresh.rows,
    ),
    checks: order(
      previous.checks.filter((c) => kept(c.target)),
      fresh.checks,
    ),
    notes: [
      ...fresh.notes,
      `Only the ${part} ran this time (\`--only W6 --w6 ${part}\`); the ${other} rows, checks and notes are kept from the run of ${when}.`,
      ...previous.notes.filter((n) => kept(n) && !n.startsWith('Only the ') && !isFresh(n)),
    ],
  };
}

/** W6 as results.json in `out` holds it for this mode, or null. */
export async function previousW6(
  out: string,
  mode: BenchResults['mode'],
): Promise<WorkloadResult | null> {
  const path = join(out, 'results.json');
  if (!existsSync(path)) return null;
  const old = JSON.parse(await readFile(path, 'utf8')) as BenchResults;
  return old.mode === mode ? (old.workloads.W6 ?? null) : null;
}
