import { beforeEach, describe, expect, it } from 'vitest';
import { resetStrata, useStrata } from '../store';
import { exportContextOf } from './exportContext';

describe('the context of an export', () => {
  beforeEach(() => resetStrata());

  it("a language model's chart is named after it and carries the lens settings", () => {
    const lens = { languageModel: 'gpt2-lens', texts: 'texts.txt', maxLength: 16, samples: 32 };
    const ctx = exportContextOf(useStrata.getState(), 'Logit lens', new Date(0), lens);
    expect(ctx.subject).toBe('gpt2-lens');
    expect(ctx.settings).toEqual(lens);
  });

  it("an activation file's chart is named after the file; a model's after the model", () => {
    const file = { activationFile: 'acts.npz', ckaMetric: 'cka' as const };
    expect(exportContextOf(useStrata.getState(), 'x', new Date(0), file).subject).toBe('acts.npz');
    const { config } = useStrata.getState();
    expect(exportContextOf(useStrata.getState(), 'x').subject).toBe(config.modelId);
  });
});
