// Text models whose own tokenizer Strata cannot run, and why: their texts cannot be re-encoded.

/**
 * Why Strata cannot re-encode texts for a model imported as `format`, or undefined when its
 * tokenizer is WordPiece (BERT, DistilBERT), which Strata runs exactly. Such a model's hidden
 * states are still read from token ids (`strata hidden-states`).
 */
export function tokenizerLimit(format: string): string | undefined {
  if (format === 'RobertaForSequenceClassification')
    return "RoBERTa's byte-level BPE tokenizer is not one Strata runs (it runs WordPiece, the tokenizer of BERT and DistilBERT)";
  if (format === 'XLMRobertaForSequenceClassification')
    return "XLM-R's SentencePiece tokenizer is not one Strata runs (it runs WordPiece, the tokenizer of BERT and DistilBERT)";
  return undefined;
}
