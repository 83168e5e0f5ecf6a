// The agreement table of every measure with cosine: once the user asks for it, each checkpoint
// on show (the model under study, A and B) is analysed with cosine, CKA, Procrustes, SVCCA and
// mutual k-NN, and asked again whenever the controls change what its row is of.
import type { AnalysisRequest, AnalysisResult } from '../../engine/apiTypes';
import { agreementRows } from '../state/agreement';
import { requestKey } from '../state/requests';
import type { AgreementRow, AgreementRowResult } from '../state/results';
import type { EffectContext } from './context';
import { PRIORITY } from './context';
import { createEngineRunner } from './engineRunner';
import { progressTo } from './progress';
import { watch } from './watch';

/** Rows kept by request: a row whose checkpoint and settings come back is not computed again. */
const CACHE_SIZE = 16;

export function connectAgreement(ctx: EffectContext): () => void {
  const { engine, store, queue } = ctx;
  const cache = new Map<string, AnalysisResult['agreement']>();

  async function agreementOf(row: AgreementRow, signal: AbortSignal) {
    const key = requestKey({ request: row.request, revision: row.revision });
    let agreement = cache.get(key);
    if (!agreement) {
      const request: AnalysisRequest = row.request;
      const result = await queue.run(
        PRIORITY.agreement,
        () => engine.analyze(request, progressTo(store, 'agreement'), signal),
        () => signal.aborted,
      );
      agreement = result.agreement;
      cache.set(key, agreement);
      while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    return agreement;
  }

  const runner = createEngineRunner<AgreementRow[], AgreementRowResult[]>(store, {
    channel: 'agreement',
    async run(rows, signal) {
      const out: AgreementRowResult[] = [];
      // One after another: the model under study is often B as well, and then read once.
      for (const row of rows) {
        const agreement = await agreementOf(row, signal);
        out.push({ ...row, agreement: byMeasure(agreement) });
      }
      return out;
    },
    onResult: (agreement) => store.getState().setResults({ agreement }),
    failed: () => 'The agreement of every measure with cosine failed',
  });
  const unwatch = watch(
    store,
    (s) => (s.ui.agreementWanted && s.config.dataset ? requestKey(agreementRows(s)) : null),
    (key) => runner.request(key, JSON.parse(key) as AgreementRow[]),
    () => runner.cancel(),
  );
  return () => {
    unwatch();
    runner.dispose();
    cache.clear();
  };
}

/** The engine's `cosine~m` entries by measure m. */
function byMeasure(agreement: AnalysisResult['agreement']): AgreementRowResult['agreement'] {
  return Object.fromEntries(
    Object.entries(agreement).flatMap(([key, a]) =>
      key.startsWith('cosine~') ? [[key.slice('cosine~'.length), a]] : [],
    ),
  );
}
