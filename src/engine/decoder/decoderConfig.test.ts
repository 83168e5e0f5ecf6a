import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decoderConfigFromHuggingFace, isDecoderConfig } from './decoderConfig';
import { decoderFolder } from './fixtures/decoderCases';

const json = (name: string) =>
  JSON.parse(readFileSync(`${decoderFolder(name)}/config.json`, 'utf8')) as Record<string, unknown>;

describe('decoderConfigFromHuggingFace', () => {
  it('reads GQA, the linear RoPE scaling of transformers 5 and an untied head (llama-a)', () => {
    const c = decoderConfigFromHuggingFace(json('llama-a'), 'llama-a/config.json');
    expect(c).toMatchObject({
      family: 'llama',
      numHeads: 4,
      numKvHeads: 2,
      headDim: 16,
      ropeTheta: 500,
      ropeFactor: 2,
      tiedHead: false,
      qkvBias: false,
    });
  });

  it('reads transformers 4 keys rope_theta and rope_scaling', () => {
    const rest = json('llama-a');
    delete rest.rope_parameters;
    const old = { ...rest, rope_theta: 250, rope_scaling: { type: 'linear', factor: 4 } };
    const c = decoderConfigFromHuggingFace(old, 'c.json');
    expect([c.ropeTheta, c.ropeFactor]).toEqual([250, 4]);
  });

  it('refuses a RoPE scaling other than linear, naming the key and the type', () => {
    const dynamic = {
      ...json('llama-a'),
      rope_parameters: { rope_type: 'yarn', factor: 2, rope_theta: 1e4 },
    };
    expect(() => decoderConfigFromHuggingFace(dynamic, 'm/config.json')).toThrow(
      /m\/config\.json: key "rope_parameters" has rope_type "yarn", expected "default" or "linear"/,
    );
    const rest = json('llama-a');
    delete rest.rope_parameters;
    const old = { ...rest, rope_scaling: { rope_type: 'dynamic', factor: 2 } };
    expect(() => decoderConfigFromHuggingFace(old, 'c.json')).toThrow(
      /key "rope_scaling".*"dynamic"/,
    );
  });

  it('gives Qwen2 q/k/v biases and refuses its sliding window', () => {
    expect(decoderConfigFromHuggingFace(json('qwen2-a'), 'q.json').qkvBias).toBe(true);
    const sliding = { ...json('qwen2-a'), use_sliding_window: true };
    expect(() => decoderConfigFromHuggingFace(sliding, 'q.json')).toThrow(/use_sliding_window/);
  });

  it('reads the GPT-2 classifier with its padding id and classes', () => {
    const c = decoderConfigFromHuggingFace(json('gpt2-cls'), 'g.json');
    expect([c.numClasses, c.padTokenId, c.activation, c.mlpSize]).toEqual([3, 5, 'relu', 128]);
    const noPad = { ...json('gpt2-cls'), pad_token_id: null };
    expect(() => decoderConfigFromHuggingFace(noPad, 'g.json')).toThrow(/key "pad_token_id"/);
  });

  it('tells decoders from encoders', () => {
    expect(isDecoderConfig(json('gpt2-a'))).toBe(true);
    expect(isDecoderConfig({ architectures: ['BertForSequenceClassification'] })).toBe(false);
  });
});
