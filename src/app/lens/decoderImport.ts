// A dropped decoder folder (GPT-2, Llama, Qwen2 language models): recognised from its config.json,
// reviewed in the page (shape and tokenizer) and kept for the logit lens. Classifier checkpoints
// go on to the model importer.
import type { DecoderFiles, DecoderSummary } from '../../engine/apiTypes';
import { decoderConfigFromHuggingFace, isDecoderConfig } from '../../engine/decoder/decoderConfig';
import { checkpointRequest } from '../import/modelImport';
import type { DroppedFile } from '../import/types';
import { errorMessage } from '../effects/watch';
import { useStrata } from '../store';
import { DEFAULT_MAX_LENGTH, useLens, type LanguageModel } from './lensState';

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const SMALL_FILE = 16 * 1024 * 1024;

async function readJson(file: DroppedFile): Promise<unknown> {
  if (file.file.size > SMALL_FILE)
    throw new Error(`${file.path}: ${file.file.size} bytes, expected a JSON file under 16 MB`);
  try {
    return JSON.parse(await file.file.text());
  } catch (e) {
    throw new Error(`${file.path}: not valid JSON (${errorMessage(e)})`);
  }
}

/** Whether a model drop is a decoder language model (its config.json names one). */
export async function isDecoderDrop(files: readonly DroppedFile[]): Promise<boolean> {
  const configs = files.filter((f) => baseName(f.path) === 'config.json');
  if (configs.length !== 1) return false;
  try {
    return isDecoderConfig(await readJson(configs[0]));
  } catch {
    return false; // the model importer names the broken config.json
  }
}

/**
 * Reads a decoder folder into what the lens needs: its config checked, its tokenizer.json read
 * (the same reader the engine runs) for the review. Throws an Error naming the file at fault.
 */
export async function reviewDecoder(files: readonly DroppedFile[]): Promise<LanguageModel> {
  const request = checkpointRequest(files);
  const configFile = files.find((f) => f.path === request.config.path)!;
  const config = decoderConfigFromHuggingFace(await readJson(configFile), configFile.path);
  const decoderFiles: DecoderFiles = {
    config: request.config,
    weights: request.weights,
    ...(request.shards ? { shards: request.shards } : {}),
  };
  const summary: DecoderSummary = {
    architecture: config.architecture,
    numLayers: config.numLayers,
    hiddenSize: config.hiddenSize,
    vocabSize: config.vocabSize,
    numHeads: config.numHeads,
    numKvHeads: config.numKvHeads,
    tiedHead: config.tiedHead,
  };
  const tokenizer = files.find((f) => baseName(f.path) === 'tokenizer.json');
  const tokenizerConfig = files.find((f) => baseName(f.path) === 'tokenizer_config.json');
  if (tokenizer) {
    decoderFiles.tokenizer = { path: tokenizer.path, file: tokenizer.file };
    if (tokenizerConfig)
      decoderFiles.tokenizerConfig = { path: tokenizerConfig.path, file: tokenizerConfig.file };
    // Loaded on demand: the tokenizers library stays out of the page's first bundle.
    const { readHfTokenizer } = await import('../../engine/import/hfTokenizer');
    const read = readHfTokenizer(
      await tokenizer.file.text(),
      tokenizer.path,
      tokenizerConfig
        ? { bytes: await tokenizerConfig.file.text(), source: tokenizerConfig.path }
        : undefined,
    );
    summary.tokenizer = { file: tokenizer.path, kind: read.kind, vocabSize: read.vocabSize };
  }
  return { name: request.name, files: decoderFiles, summary, maxPositions: config.maxPositions };
}

/**
 * The drop zone's importer of decoder folders: reviews the folder and makes it the page's
 * language model. Any problem goes to the alert region, naming the file, and the page keeps the
 * model (and lens chart) it had. Never throws.
 */
export async function importDecoderFiles(files: readonly DroppedFile[]): Promise<void> {
  const { addAlert } = useStrata.getState();
  let model: LanguageModel;
  try {
    model = await reviewDecoder(files);
  } catch (e) {
    addAlert('error', `Language model not imported: ${errorMessage(e)}`);
    return;
  }
  useLens.setState((s) => {
    // A length cut to the previous model's positions goes back to the default for this one.
    const asked =
      s.model && s.maxLength === s.model.maxPositions ? DEFAULT_MAX_LENGTH : s.maxLength;
    return { model, maxLength: Math.min(asked, model.maxPositions) };
  });
  if (!model.summary.tokenizer)
    addAlert(
      'notice',
      `${model.name} has no tokenizer.json: the logit lens reads texts with the model's own tokenizer; open the folder again with its tokenizer.json.`,
    );
}
