import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { saveCheckpoint } from '../../engine/checkpoint';
import { writeNpy } from '../../engine/io/npy';
import { readNpz } from '../../engine/io/npz';
import { readSafetensors, writeSafetensors } from '../../engine/io/safetensors';
import {
  CASES,
  caseFolder,
  checkpointFiles,
  expectedOutputs,
  maxAbsDiff,
} from '../../engine/import/fixtures/cases';
import { importHuggingFace } from '../../engine/import/huggingface';
import { disposeParams } from '../../engine/model/params';
import { main } from '../main';
import { hiddenStatesCommand } from './hiddenStates';
import { CLI_ZIP_LIMITS } from '../limits';
import { commandContext, copyFixture, tempFolder } from '../testing';

const tmp = tempFolder('hidden-states');
const { ctx, logs } = commandContext();

/** The command's .npz equals transformers' hidden states and logits within 1e-4. */
function expectOutputMatches(outFile: string, caseName: string): void {
  const written = readNpz(new Uint8Array(readFileSync(outFile)), outFile, CLI_ZIP_LIMITS);
  const expected = expectedOutputs(caseName);
  expect(written.map((a) => a.name)).toEqual([...expected.keys()]);
  for (const array of written) {
    const want = expected.get(array.name)!;
    expect({ dtype: array.dtype, shape: array.shape }).toEqual({
      dtype: 'float32',
      shape: want.shape,
    });
    expect(maxAbsDiff(array.data, want.data), array.name).toBeLessThan(1e-4);
  }
}

/** A copy of a fixture checkpoint in the temp folder, with config.json or weights changed. */
function modifiedCheckpoint(
  name: string,
  change: { config?: Record<string, unknown>; weights?: Uint8Array },
): string {
  const folder = copyFixture(
    caseFolder(name),
    tmp(`${name}-${Math.random().toString(36).slice(2)}`),
  );
  if (change.config) {
    const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
    writeFileSync(join(folder, 'config.json'), JSON.stringify({ ...config, ...change.config }));
  }
  if (change.weights) writeFileSync(join(folder, 'model.safetensors'), change.weights);
  return folder;
}

/** The command fails with `message` and leaves the existing output file untouched. */
async function expectFailure(argv: string[], message: RegExp): Promise<void> {
  const out = argv[argv.indexOf('--out') + 1];
  writeFileSync(out, 'previous results');
  await expect(hiddenStatesCommand(argv, ctx)).rejects.toThrow(message);
  expect(readFileSync(out, 'utf8')).toBe('previous results');
}

describe('strata hidden-states', () => {
  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s: writes every hidden state and the logits of transformers within 1e-4',
    async (_, c) => {
      const out = tmp(`${c.name}.npz`);
      const input = join(caseFolder(c.name), c.input);
      await hiddenStatesCommand(
        ['--model', caseFolder(c.name), '--input', input, '--out', out, '--batch-size', '2'],
        ctx,
      );
      expectOutputMatches(out, c.name);
      expect(logs.at(-1)).toMatch(new RegExp(`hidden_0 … hidden_${c.layers} `));
    },
  );

  it('reads a Strata checkpoint of an imported model the same way', async () => {
    const imported = importHuggingFace(checkpointFiles('deit-a'));
    const saved = await saveCheckpoint(imported);
    disposeParams(imported.params);
    const folder = tmp('deit-a-strata');
    cpSync(caseFolder('deit-a'), folder, { recursive: true });
    writeFileSync(join(folder, 'config.json'), saved.config);
    writeFileSync(join(folder, 'model.safetensors'), saved.weights);
    const out = tmp('deit-a-strata.npz');
    await hiddenStatesCommand(
      ['--model', folder, '--input', join(folder, 'input.npy'), '--out', out],
      ctx,
    );
    expectOutputMatches(out, 'deit-a');
    expect(logs.at(-1)).toMatch(/\(strata, cpu\)/);
  });

  it('is registered in the command line, and exits 1 with the message on stderr', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = tmp('via-main.npz');
    const ok = await main([
      'hidden-states',
      '--model',
      caseFolder('bert-a'),
      '--input',
      join(caseFolder('bert-a'), 'input.npz'),
      '--out',
      out,
      '--backend',
      'cpu',
    ]);
    expect(ok).toBe(0);
    expectOutputMatches(out, 'bert-a');
    const bad = await main(['hidden-states', '--model', caseFolder('bert-a'), '--out', out]);
    expect(bad).toBe(1);
    expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(
      /strata hidden-states: error: strata hidden-states: --input is required/,
    );
    stderr.mockRestore();
  });

  describe('bad input: a clear message naming the file, and no output written', () => {
    const vitInput = () => join(caseFolder('vit-a'), 'input.npy');
    const out = () => tmp('failed.npz');

    it('NaN in pixel_values', async () => {
      const pixels = new Float32Array(1 * 3 * 8 * 8);
      pixels[70] = NaN;
      const input = tmp('nan.npy');
      writeFileSync(
        input,
        writeNpy({ name: 'x', dtype: 'float32', shape: [1, 3, 8, 8], data: pixels }),
      );
      await expectFailure(
        ['--model', caseFolder('vit-a'), '--input', input, '--out', out()],
        /nan\.npy: pixel_values has a non-finite value \(NaN\) at \[0, 1, 0, 6\]/,
      );
    });

    it('pixels of the wrong rank or shape, and ids for an image model', async () => {
      const input = tmp('rank3.npy');
      writeFileSync(
        input,
        writeNpy({ name: 'x', dtype: 'float32', shape: [3, 8, 8], data: new Float32Array(192) }),
      );
      await expectFailure(
        ['--model', caseFolder('vit-a'), '--input', input, '--out', out()],
        /rank3\.npy: pixel_values has shape \[3, 8, 8\], expected \[N, 3, 8, 8\]/,
      );
      await expectFailure(
        ['--model', caseFolder('vit-b'), '--input', vitInput(), '--out', out()],
        /input\.npy: pixel_values has shape \[3, 3, 8, 8\], expected \[N, 1, 6, 6\]/,
      );
      await expectFailure(
        [
          '--model',
          caseFolder('vit-a'),
          '--input',
          join(caseFolder('bert-b'), 'input.npy'),
          '--out',
          out(),
        ],
        /input\.npy: pixel_values has shape \[2, 10\], expected \[N, 3, 8, 8\]/,
      );
    });

    it('token ids longer than the model reads', async () => {
      const input = tmp('long.npy');
      writeFileSync(
        input,
        writeNpy({ name: 'x', dtype: 'int64', shape: [1, 11], data: new Int32Array(11) }),
      );
      await expectFailure(
        ['--model', caseFolder('bert-b'), '--input', input, '--out', out()],
        /long\.npy: input_ids has 11 tokens per row, expected at most 10/,
      );
    });

    it('a truncated safetensors file', async () => {
      const weights = checkpointFiles('vit-a').weights;
      const folder = modifiedCheckpoint('vit-a', {
        weights: weights.subarray(0, weights.length - 7),
      });
      await expectFailure(
        ['--model', folder, '--input', vitInput(), '--out', out()],
        /model\.safetensors: tensor .* lie outside the data section/,
      );
    });

    it('a config with an unknown architecture', async () => {
      const folder = modifiedCheckpoint('vit-a', {
        config: { architectures: ['SwinForImageClassification'], model_type: 'swin' },
      });
      await expectFailure(
        ['--model', folder, '--input', vitInput(), '--out', out()],
        /config\.json: architecture "SwinForImageClassification" is not supported/,
      );
    });

    it('a missing tensor', async () => {
      const { tensors } = readSafetensors(checkpointFiles('vit-a').weights, 'vit-a');
      const weights = writeSafetensors(tensors.filter((t) => t.name !== 'vit.layernorm.bias'));
      const folder = modifiedCheckpoint('vit-a', { weights });
      await expectFailure(
        ['--model', folder, '--input', vitInput(), '--out', out()],
        /model\.safetensors: tensor vit\.layernorm\.bias is missing, expected shape \[16\]/,
      );
    });

    it('usage errors: output name, input format, model folder', async () => {
      await expect(
        hiddenStatesCommand(
          ['--model', caseFolder('vit-a'), '--input', vitInput(), '--out', tmp('x.npy')],
          ctx,
        ),
      ).rejects.toThrow(/--out .*x\.npy: expected a file name ending in \.npz/);
      const txt = tmp('input.txt');
      writeFileSync(txt, '1 2 3');
      await expectFailure(
        ['--model', caseFolder('vit-a'), '--input', txt, '--out', out()],
        /input\.txt: input format "\.txt" is not read, expected \.npy or \.npz/,
      );
      await expectFailure(
        ['--model', tmp('nowhere'), '--input', vitInput(), '--out', out()],
        /model ".*nowhere": not a checkpoint folder/,
      );
      const folder = modifiedCheckpoint('vit-a', {});
      rmSync(join(folder, 'model.safetensors'));
      writeFileSync(join(folder, 'pytorch_model.bin'), '');
      await expectFailure(
        ['--model', folder, '--input', vitInput(), '--out', out()],
        /pytorch_model\.bin: a PyTorch pickle, which Strata does not read .*save_pretrained\(.*safe_serialization=True\).*save_file\(/,
      );
      expect(existsSync(tmp('x.npy'))).toBe(false);
    });
  });
});
