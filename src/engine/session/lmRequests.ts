// The engine's language-model early-exit requests: teacher-forced exit curves (lm-exits) and
// greedy generation with early exit, on token ids or on texts read with the checkpoint's
// tokenizer.json. Each loads the model, runs and frees it: nothing stays in the engine.
import type { ProgressEvent } from '../apiTypes';
import type {
  DecoderFiles,
  GeneratedSample,
  GenerateRequest,
  GenerateResponse,
  LmExitsRequest,
  LmExitsResponse,
} from '../decoder/decoderApiTypes';
import { decoderConfigFromHuggingFace } from '../decoder/decoderConfig';
import { inputRows } from '../decoder/decoderInput';
import { readDecoderTokenizer } from '../decoder/decoderTexts';
import { generateWithExits } from '../decoder/generateExits';
import { lmExitScores } from '../decoder/lmExitScores';
import { lmExitTradeoff } from '../decoder/lmExitTradeoff';
import { readConfigJson } from '../decoder/loadDecoder';
import { EXIT_RULES, type ExitRule } from '../exits/rules';
import { betweenBatches } from '../tasks';
import { inputOf, withLoadedDecoder } from './decoderRequests';

type OnProgress = (e: ProgressEvent) => void;

/** Refuses a classifier before its weights are read. */
async function requireLanguageModel(files: DecoderFiles, source: string, what: string) {
  const config = decoderConfigFromHuggingFace(await readConfigJson(files), files.config.path);
  if (config.numClasses !== undefined)
    throw new Error(
      `${source}: ${files.config.path} is ${config.architecture}, a classifier; ${what} reads a language model (GPT2LMHeadModel, LlamaForCausalLM, Qwen2ForCausalLM)`,
    );
}

/** Exit curves per rule of a causal LM (lmExitTradeoff.ts); progress `load` then `exits`. */
export async function lmExitsOf(
  request: LmExitsRequest,
  onProgress?: OnProgress,
  signal?: AbortSignal,
): Promise<LmExitsResponse> {
  await requireLanguageModel(request.files, request.source, 'LM early exit');
  const rules: ExitRule[] = request.rules ?? [...EXIT_RULES];
  return withLoadedDecoder(request.files, onProgress, signal, async (params, unused) => {
    const { input, truncated } = await inputOf(request, params);
    const rows = inputRows(input, 0, Math.min(request.samples ?? input.n, input.n));
    const scores = await lmExitScores(params, rows, {
      batchSize: request.batchSize,
      signal,
      onProgress: (done, total) => onProgress?.({ phase: 'exits', done, total }),
    });
    const curves: LmExitsResponse['curves'] = {};
    for (const rule of rules) curves[rule] = lmExitTradeoff(scores, rule);
    const response: LmExitsResponse = {
      architecture: params.config.architecture,
      layers: scores.layers,
      tokens: scores.samples,
      curves,
      unusedTensors: unused,
    };
    if (truncated !== undefined) response.truncated = truncated;
    return response;
  });
}

/**
 * Greedy generation with early exit (generateExits.ts), each input row's real tokens one prompt;
 * with texts, the prompt and the new ids decoded back. Progress `load`, then `tokens` per new token of
 * the prompt at hand and `generate` per prompt; an abort stops it between two tokens.
 */
export async function generateOf(
  request: GenerateRequest,
  onProgress?: OnProgress,
  signal?: AbortSignal,
): Promise<GenerateResponse> {
  await requireLanguageModel(request.files, request.source, 'generation');
  const tokenizer = request.text
    ? await readDecoderTokenizer(request.files, request.source)
    : undefined;
  return withLoadedDecoder(request.files, onProgress, signal, async (params, unused) => {
    const { input, truncated } = await inputOf(request, params);
    const rows = inputRows(input, 0, Math.min(request.samples ?? input.n, input.n));
    const samples: GeneratedSample[] = [];
    for (let r = 0; r < rows.n; r++) {
      await betweenBatches(signal, 'generation');
      const prompt: number[] = [];
      for (let k = r * rows.t; k < (r + 1) * rows.t; k++)
        if (rows.mask[k] === 1) prompt.push(rows.ids[k]);
      const { maxNew, rule, threshold, suppress } = request;
      const tokens = await generateWithExits(params, prompt, {
        maxNew,
        rule,
        threshold,
        suppress,
        signal,
        onToken: (done) => onProgress?.({ phase: 'tokens', done, total: maxNew }),
      });
      const sample: GeneratedSample = { prompt, tokens };
      if (tokenizer) {
        sample.tokens = tokens.map((g) => ({ ...g, text: tokenizer.decode([g.token]) }));
        sample.promptText = tokenizer.decode(prompt);
        sample.text = tokenizer.decode(tokens.map((g) => g.token));
      }
      samples.push(sample);
      onProgress?.({ phase: 'generate', done: r + 1, total: rows.n });
    }
    const response: GenerateResponse = {
      architecture: params.config.architecture,
      layers: params.config.numLayers,
      samples,
      unusedTensors: unused,
    };
    if (truncated !== undefined) response.truncated = truncated;
    return response;
  });
}
