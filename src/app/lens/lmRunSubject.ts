// What an exported chart of the language model's view is named after and stamped with: the model
// and the texts its run read (the lens, the early exit and the layer similarity alike).
import type { ExportSubject } from '../share/exportContext';

/** The words a finished run keeps of what it read (LensRun, LmExitRun, LmSimilarityQuery). */
export interface LmRunInputs {
  model: string;
  textSource: string;
  /** Null for token ids, which are read as they are. */
  maxLength: number | null;
  samples: number;
}

export type LmExportSubject = Extract<ExportSubject, { languageModel: string }>;

/** The export subject of a chart of `run`: its model, texts, max tokens and samples. */
export function lmRunSubject(run: LmRunInputs): LmExportSubject {
  return {
    languageModel: run.model,
    texts: run.textSource,
    maxLength: run.maxLength,
    samples: run.samples,
  };
}
