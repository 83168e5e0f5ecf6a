import { describe, expect, it } from 'vitest';
import type { Check, Row, WorkloadResult } from './types';
import { DECODER_TITLES } from './w6Decoders';
import { isDecoderText, mergeW6Part } from './w6Parts';

const [gpt2, llama] = DECODER_TITLES;
const row = (task: string, impl = 'Strata CLI'): Row => ({ task, impl });
const check = (target: string, met: boolean): Check => ({ target, measured: '', met, detail: '' });

function w6(ranAt: string, rows: Row[], checks: Check[], notes: string[]): WorkloadResult {
  return { id: 'W6', title: 'W6', ranAt, loadBefore: 17.16, params: {}, rows, checks, notes };
}

const previous = w6(
  '2026-12-06T15:38:32.306Z',
  [
    row('ViT-B/16 (86M parameters): load the checkpoint'),
    row('BERT-base: strata analyze --dataset imdb --samples 64'),
    row(`${gpt2}: strata hidden-states`),
    row(`${llama}: lens`, 'PyTorch'),
  ],
  [
    check('W6 vit-b16 hidden-states peak ≤ 2.5 × weights + 300 MB', true),
    check('W6 gpt2-small hidden-states peak ≤ 2.5 × weights + 300 MB', false),
    check('W6 llama-small lens loss, KL and rank match transformers', false),
  ],
  [
    'Decoders: old decoder note.',
    'Every Strata row is a fresh Node process, in the words of an older run.',
    'Chromium rows: …',
  ],
);

describe('mergeW6Part', () => {
  it('tells decoder rows, checks and notes from the encoders’', () => {
    expect(isDecoderText(`${llama}: load the checkpoint`)).toBe(true);
    expect(isDecoderText('W6 llama-small lens peak ≤ 2.5 × weights + 300 MB')).toBe(true);
    expect(isDecoderText('Decoders: random weights')).toBe(true);
    expect(isDecoderText('BERT-base: strata analyze --dataset imdb --samples 64')).toBe(false);
    expect(isDecoderText('W6 bert-base analysis peak ≤ 2.5 × weights + 300 MB')).toBe(false);
  });

  it('--w6 decoders: the fresh decoder rows after the kept encoder rows, old decoder rows dropped', () => {
    const fresh = w6(
      '2026-12-06T19:40:00.000Z',
      [row(`${gpt2}: strata hidden-states`, 'new'), row(`${gpt2}: PyTorch`, 'new')],
      [check('W6 gpt2-small hidden-states peak ≤ 2.5 × weights + 300 MB', true)],
      ['Decoders: new decoder note.', 'Every Strata row is a fresh Node process.'],
    );
    const merged = mergeW6Part(previous, fresh, 'decoders');
    expect(merged.ranAt).toBe(fresh.ranAt);
    expect(merged.rows.map((r) => [r.task.slice(0, 20), r.impl])).toEqual([
      ['ViT-B/16 (86M parame', 'Strata CLI'],
      ['BERT-base: strata an', 'Strata CLI'],
      [gpt2.slice(0, 20), 'new'],
      [gpt2.slice(0, 20), 'new'],
    ]);
    expect(merged.checks.map((c) => [c.target.split(' ')[1], c.met])).toEqual([
      ['vit-b16', true],
      ['gpt2-small', true],
    ]);
    expect(merged.notes).toEqual([
      'Decoders: new decoder note.',
      'Every Strata row is a fresh Node process.',
      'Only the decoders ran this time (`--only W6 --w6 decoders`); the ViT-B/16 and BERT-base rows, checks and notes are kept from the run of 2026-12-06 15:38 UTC, load average 17.16 before.',
      'Chromium rows: …',
    ]);
    // Run again: the earlier "only the decoders" note is not carried over.
    const again = mergeW6Part(merged, fresh, 'decoders');
    expect(again.notes.filter((n) => n.startsWith('Only the '))).toHaveLength(1);
  });

  it('--w6 encoders keeps the decoder rows after the fresh ones; all, or no previous run, keeps nothing', () => {
    const fresh = w6('2026-12-06T19:40:00.000Z', [row('ViT-B/16: new')], [], []);
    const merged = mergeW6Part(previous, fresh, 'encoders');
    expect(merged.rows.map((r) => r.task)).toEqual([
      'ViT-B/16: new',
      `${gpt2}: strata hidden-states`,
      `${llama}: lens`,
    ]);
    expect(merged.checks).toHaveLength(2);
    expect(mergeW6Part(previous, fresh, 'all')).toBe(fresh);
    expect(mergeW6Part(null, fresh, 'decoders')).toBe(fresh);
  });
});
