import { useLens } from './lensState';

const count = (n: number) => n.toLocaleString('en-US');

/** The page's language model in one line each: shape, head and tokenizer. */
export function LanguageModelReview() {
  const model = useLens((s) => s.model);
  if (!model) return null;
  const s = model.summary;
  return (
    <section className="panel import-review" aria-labelledby="lm-review-title">
      <h2 id="lm-review-title">Language model: {model.name}</h2>
      <dl className="import-summary">
        <dt>Architecture</dt>
        <dd>{s.architecture}</dd>
        <dt>Layers</dt>
        <dd>{s.numLayers}</dd>
        <dt>Width</dt>
        <dd>{s.hiddenSize}</dd>
        <dt>Heads / kv heads</dt>
        <dd>
          {s.numHeads} / {s.numKvHeads}
        </dd>
        <dt>Vocabulary</dt>
        <dd>{count(s.vocabSize)}</dd>
        <dt>Head</dt>
        <dd>{s.tiedHead ? 'tied to the token embeddings' : 'its own lm_head'}</dd>
        <dt>Tokenizer</dt>
        <dd>
          {s.tokenizer
            ? `${s.tokenizer.kind} (${s.tokenizer.file}, ${count(s.tokenizer.vocabSize)} ids)`
            : 'none: needs tokenizer.json beside config.json to read texts'}
        </dd>
      </dl>
    </section>
  );
}
