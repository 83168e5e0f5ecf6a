import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { disposeParams } from '../model/params';
import {
  CASES,
  caseInputArrays,
  checkpointFiles,
  expectedOutputs,
  maxAbsDiff,
} from './fixtures/cases';
import { computeHiddenStates } from './hiddenStates';
import { importHuggingFace } from './huggingface';
import { modelInputFromArrays } from './modelInputArrays';

describe('computeHiddenStates', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s: batches of 2 give hidden_0 … hidden_L and logits of transformers within 1e-4',
    async (_, c) => {
      const model = importHuggingFace(checkpointFiles(c.name));
      const input = modelInputFromArrays(caseInputArrays(c), model.config, c.input);
      const progress: number[] = [];
      const states = await computeHiddenStates(model, input, {
        batchSize: 2,
        onProgress: (done) => progress.push(done),
      });
      disposeParams(model.params);
      const expected = expectedOutputs(c.name);
      expect(states.map((s) => s.name)).toEqual([...expected.keys()]);
      for (const s of states) {
        const want = expected.get(s.name)!;
        expect(s.shape, s.name).toEqual(want.shape);
        expect(maxAbsDiff(s.data, want.data), s.name).toBeLessThan(1e-4);
      }
      const n = input.shape[0];
      expect(progress).toEqual(n > 2 ? [2, n] : [n]);
    },
  );

  it('leaves no tensor behind', async () => {
    const c = CASES.find((x) => x.name === 'bert-a')!;
    const model = importHuggingFace(checkpointFiles(c.name));
    const input = modelInputFromArrays(caseInputArrays(c), model.config, c.input);
    await computeHiddenStates(model, input, { batchSize: 2 }); // warm-up
    const before = tf.memory().numTensors;
    await computeHiddenStates(model, input, { batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(model.params);
  });
});
