// What `strata lm-exits` and `strata generate` share: a language-model checkpoint folder, opened
// with a classifier refused before its weights are read.
import { decoderConfigFromHuggingFace } from '../../engine/decoder/decoderConfig';
import { readConfigJson } from '../../engine/decoder/loadDecoder';
import type { NamedArray } from '../../engine/io/dtypes';
import { checkpointFolderFiles } from '../checkpointFolder';
import { UsageError } from '../errors';
import type { DecoderRun } from './decoderRun';
import { modelFolder } from './hiddenStates';

/** The run of `--model`-like option `modelArg` over `arrays` read from `inputPath`. */
export async function lmDecoderRun(
  command: string,
  modelArg: string,
  arrays: NamedArray[],
  inputPath: string,
  batchSize: number,
): Promise<DecoderRun & { vocabSize: number }> {
  const folder = modelFolder(modelArg);
  const files = await checkpointFolderFiles(folder);
  const config = decoderConfigFromHuggingFace(await readConfigJson(files), files.config.path);
  if (config.numClasses !== undefined)
    throw new UsageError(
      `strata ${command}: ${files.config.path}: ${config.architecture} has a classification head, expected a language model (GPT2LMHeadModel, LlamaForCausalLM, Qwen2ForCausalLM)`,
    );
  return { folder, files, arrays, inputPath, batchSize, vocabSize: config.vocabSize };
}
