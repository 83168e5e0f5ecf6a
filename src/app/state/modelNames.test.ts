import { describe, expect, it } from 'vitest';
import type { AnalysisRequest } from '../../engine/apiTypes';
import { analysisCaption, comparisonCaption } from '../chartData/caption';
import { analysisFor } from '../effects/testing';
import { exportFileName } from '../share/fileName';
import { modelName, modelTitle, resultModelName } from './modelNames';

const REQUEST: AnalysisRequest = {
  modelId: 'mnist-aligned',
  dataset: 'mnist',
  samples: 1000,
  seed: 0,
  pooling: 'cls',
  metrics: ['cosine'],
  finalNormInHead: true,
  batchSize: 256,
  rbfT: 0.5,
};
const RUN = 'mnist-aligned → aligned, 200 steps, lr 1e-4';
const MODELS = [
  { id: 'mnist-aligned', title: 'MNIST, aligned' },
  { id: 'finetuned-3', title: RUN },
];

describe('the name a model goes by on the page', () => {
  it('is a fine-tune’s run name, with the step its weights are of', () => {
    expect(modelTitle(MODELS, 'finetuned-3')).toBe(RUN);
    expect(modelName(MODELS, 'finetuned-3', 120)).toBe(`${RUN} @ step 120`);
    expect(modelName(MODELS, 'finetuned-3', 0)).toBe(RUN);
  });

  it('is the id of a built-in or imported model, and of a fine-tune not listed', () => {
    expect(modelName(MODELS, 'mnist-aligned', 0)).toBe('mnist-aligned');
    expect(modelName(MODELS, 'mnist-aligned', 40)).toBe('mnist-aligned @ step 40');
    expect(modelTitle(MODELS, 'finetuned-9')).toBe('finetuned-9');
    expect(modelTitle([{ id: 'finetuned-3', title: '  ' }], 'finetuned-3')).toBe('finetuned-3');
  });

  it('names a result, and every caption built on it, by the run', () => {
    const tuned = analysisFor({ ...REQUEST, modelId: 'finetuned-3' }, 7);
    expect(resultModelName(MODELS, tuned)).toBe(`${RUN} @ step 7`);
    const caption = analysisCaption('Cosine similarity', tuned, MODELS);
    expect(caption).toContain(`· ${RUN} @ step 7 ·`);
    expect(caption).not.toContain('finetuned-');
    const base = analysisFor(REQUEST);
    expect(comparisonCaption('Accuracy', [base, tuned], MODELS)).toContain(
      `mnist-aligned vs ${RUN} @ step 7`,
    );
  });

  it('slugs into a file name', () => {
    const name = exportFileName({
      chart: 'Cosine similarity',
      model: modelTitle(MODELS, 'finetuned-3'),
      date: new Date('2026-12-06T12:00:00Z'),
      ext: 'png',
    });
    expect(name).toBe(
      'strata-cosine-similarity-mnist-aligned-aligned-200-steps-lr-1e-4-2026-12-06.png',
    );
  });
});
