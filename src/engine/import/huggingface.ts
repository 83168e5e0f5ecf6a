// Imports Hugging Face ViT, DeiT, BERT, RoBERTa, XLM-R and DistilBERT classifiers onto Strata's model.
import { CONFIG_FILE, WEIGHTS_FILE, type CheckpointFiles } from '../checkpoint';
import { readSafetensors } from '../io/safetensors';
import { paramsFromNamedArrays } from '../model/namedArrays';
import type { LoadedModel } from '../pipeline/evaluate';
import { configFromHuggingFace, type HfArchitecture } from './hfConfig';
import { mapHuggingFaceWeights } from './hfWeights';

/** An imported model, and what the import did. */
export interface ImportedModel extends LoadedModel {
  /** The transformers class the checkpoint was saved from. */
  architecture: HfArchitecture;
  /** Checkpoint tensors the classifier does not use (e.g. a pooler a ViT classifier ignores). */
  unusedTensors: string[];
  /** What the mapping does, in words (e.g. token-type embeddings folded into positions). */
  notes: string[];
}

/** Parses config.json bytes as strict UTF-8 JSON; errors name the file. */
export function parseConfigJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new Error(`${file}: not valid UTF-8 JSON (${(e as Error).message})`);
  }
}

/**
 * Imports a Hugging Face checkpoint (`config.json` + `model.safetensors`, as `save_pretrained`
 * writes them) of `ViTForImageClassification`, `DeiTForImageClassification`,
 * `BertForSequenceClassification`, `RobertaForSequenceClassification`,
 * `XLMRobertaForSequenceClassification` or `DistilBertForSequenceClassification`, with the hub's
 * own weight names:
 * - ViT / DeiT: pre-LN blocks, final LayerNorm and classifier on the class token; DeiT's
 *   distillation token sits at index 1 of every hidden state.
 * - BERT: post-LN blocks, embedding LayerNorm, token-type row 0 folded into the positions, and
 *   the pooler (dense + tanh on token 0) as part of the shared classifier g.
 * - RoBERTa / XLM-R: as BERT, with positions counted after the padding id; the head's dense +
 *   tanh is g's pooler and its out_proj g's classifier.
 * - DistilBERT: post-LN blocks under its own names, no token types; pre_classifier + ReLU is
 *   g's pooler.
 * Hidden states h_0..h_L equal transformers' `hidden_states`, the final logits its `logits`.
 * Errors (unknown architecture, unsupported option, missing or mis-shaped tensor, malformed file)
 * name the file and the key or tensor; nothing is allocated when one is thrown.
 */
export function importHuggingFace(files: CheckpointFiles): ImportedModel {
  const configFile = `${files.source}/${CONFIG_FILE}`;
  const weightsFile = `${files.source}/${WEIGHTS_FILE}`;
  const spec = configFromHuggingFace(parseConfigJson(files.config, configFile), configFile);
  const { tensors } = readSafetensors(files.weights, weightsFile);
  const { arrays, unused } = mapHuggingFaceWeights(tensors, spec, weightsFile);
  const params = paramsFromNamedArrays(arrays, spec.config, { source: weightsFile });
  return {
    config: spec.config,
    params,
    architecture: spec.architecture,
    unusedTensors: unused,
    notes: spec.notes,
  };
}
