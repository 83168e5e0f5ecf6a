import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HiddenStatesPiece } from '../../engine/apiTypes';
import { readNpz } from '../../engine/io/npz';
import { CLI_ZIP_LIMITS } from '../limits';
import { tempFolder } from '../testing';
import { openNpzPieces } from './hiddenStatesNpz';

const tmp = tempFolder('hidden-states-npz');

const ramp = (length: number, from: number) => Float32Array.from({ length }, (_, i) => from + i);

/** Two arrays sent as the engine sends them: a batch of `a`'s rows, then `b`'s, then the next batch. */
function interleaved(): HiddenStatesPiece[] {
  const a = { name: 'hidden_0', shape: [4, 3] };
  const b = { name: 'logits', shape: [4, 2, 5] };
  return [
    { ...a, offset: 0, data: ramp(6, 0) },
    { ...b, offset: 0, data: ramp(10, 100) },
    { ...b, offset: 10, data: ramp(10, 110) },
    { ...a, offset: 6, data: ramp(6, 6) },
    { ...b, offset: 20, data: ramp(20, 120) },
  ];
}

describe('openNpzPieces', () => {
  it('writes interleaved pieces into an .npz whose arrays read back whole, in first-seen order', () => {
    const out = tmp('pieces.npz');
    const npz = openNpzPieces(out);
    for (const piece of interleaved()) npz.write(piece);
    npz.finish();
    const arrays = readNpz(new Uint8Array(readFileSync(out)), out, CLI_ZIP_LIMITS);
    expect(arrays.map((a) => [a.name, a.dtype, a.shape])).toEqual([
      ['hidden_0', 'float32', [4, 3]],
      ['logits', 'float32', [4, 2, 5]],
    ]);
    expect(arrays[0].data).toEqual(ramp(12, 0));
    expect(arrays[1].data).toEqual(ramp(40, 100));
    expect(npz.arrays()).toEqual([
      { name: 'hidden_0', shape: [4, 3] },
      { name: 'logits', shape: [4, 2, 5] },
    ]);
    expect(readdirSync(tmp()).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('refuses a piece out of order or of another shape, and an array left short; abort keeps the old file', () => {
    const out = tmp('refused.npz');
    writeFileSync(out, 'previous results');
    const [first, , , second] = interleaved();
    const npz = openNpzPieces(out);
    npz.write(first);
    expect(() => npz.write({ ...second, offset: 9 })).toThrow(
      /refused\.npz: array hidden_0: a piece of 6 elements at 9, expected one at 6 within 12/,
    );
    expect(() => npz.write({ ...second, shape: [2, 6] })).toThrow(
      /array hidden_0: a piece of shape \[2, 6\], expected \[4, 3\]/,
    );
    expect(() => npz.finish()).toThrow(/refused\.npz: array hidden_0: 6 of 12 elements written/);
    npz.abort();
    expect(readFileSync(out, 'utf8')).toBe('previous results');
    expect(readdirSync(tmp()).filter((f) => f.includes('.partial-'))).toEqual([]);
    expect(existsSync(out)).toBe(true);
  });
});
