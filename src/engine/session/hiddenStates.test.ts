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

describe('engine.hiddenStates across the worker boundary', () => {
  it("moves its arrays' buffers to the page instead of copying them", async () => {
    const moved: ArrayBuffer[][] = [];
    const moving = createEngine({
      ...nodeEngineHost(),
      transfer: (value, buffers) => {
        moved.push(buffers);
        return value;
      },
    });
    await moving.init({ backend: 'cpu' });
    const c = CASES.find((k) => k.name === 'vit-a')!;
    const result = await moving.hiddenStates({
      files: checkpointFiles(c.name),
      source: 'my-vit',
      input: caseInputArrays(c),
      inputSource: c.input,
      batchSize: 2,
    });
    expect(moved).toHaveLength(1);
    const buffers = new Set(result.arrays.map((a) => a.data.buffer));
    expect(buffers.size).toBeGreaterThan(1);
    expect(new Set(moved[0])).toEqual(buffers);
    expect(moved[0]).toHaveLength(buffers.size);
  });
});
