// engine.hiddenStates: transformers' outputs through the engine API, leaving no tensor behind,
// also when the input does not fit the model.
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineApi } from '../api';
import {
  CASES,
  caseInputArrays,
  checkpointFiles,
  expectedOutputs,
  maxAbsDiff,
} from '../import/fixtures/cases';
import { nodeEngineHost } from '../nodeHost';

let engine: EngineApi;
beforeAll(async () => {
  engine = createEngine(nodeEngineHost());
  await engine.init({ backend: 'cpu' });
});

describe('engine.hiddenStates', () => {
  it('gives transformers hidden states and logits, and keeps no tensor', async () => {
    const c = CASES.find((k) => k.name === 'bert-a')!;
    const { config, weights } = checkpointFiles(c.name);
    const request = {
      files: { config, weights },
      source: 'my-bert',
      input: caseInputArrays(c),
      inputSource: c.input,
      batchSize: 2,
    };
    await engine.hiddenStates(request); // warm-up
    const before = await engine.numTensors();
    const result = await engine.hiddenStates(request);
    expect(await engine.numTensors()).toBe(before);
    expect(result.format).toBe('BertForSequenceClassification');
    const expected = expectedOutputs(c.name);
    expect(result.arrays.map((a) => a.name)).toEqual([...expected.keys()]);
    for (const a of result.arrays)
      expect(maxAbsDiff(a.data, expected.get(a.name)!.data), a.name).toBeLessThan(1e-4);

    // Image inputs for a text model: refused naming the input, and the model is freed.
    const vit = CASES.find((k) => k.name === 'vit-a')!;
    await expect(
      engine.hiddenStates({ ...request, input: caseInputArrays(vit), inputSource: 'pixels.npy' }),
    ).rejects.toThrow('pixels.npy');
    expect(await engine.numTensors()).toBe(before);
  });
});
