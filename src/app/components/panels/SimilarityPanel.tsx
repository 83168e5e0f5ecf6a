import { viewStaleness } from '../../state/currency';
import { useStrata, type StrataState } from '../../store';
import { AgreementNumbers } from './AgreementNumbers';
import { AgreementTable } from './AgreementTable';
import { AnalysisProgress } from './AnalysisProgress';
import { CompareView } from './CompareView';
import { HeatmapPair } from './HeatmapPair';
import { MeasureHelp } from './MeasureHelp';
import { RevisionNotice } from './RevisionNotice';
import { SampleBudgetNote } from './SampleBudgetNote';
import { SimilarityControls } from './SimilarityControls';

const pickMain = (s: StrataState) => [s.results.analysis.main];

/** Similarity: how the model's layers relate (cosine and CKA), and A/B between checkpoints. */
export function SimilarityPanel() {
  const main = useStrata((s) => s.results.analysis.main);
  const stale = useStrata((s) => viewStaleness(s, 'main'));
  return (
    <section className="panel panel-wide" aria-labelledby="similarity-title">
      <h2 id="similarity-title">Similarity</h2>
      <p className="panel-help">
        Layer × layer similarity of the pooled representations h<sub>0</sub>…h<sub>L</sub> on N test
        samples. Cosine is sample-wise (each sample's cosine, averaged); CKA compares whole
        representations.
      </p>
      <MeasureHelp />
      <SimilarityControls />
      <SampleBudgetNote />
      <AnalysisProgress />
      <RevisionNotice pick={pickMain} />
      <HeatmapPair result={main} stale={stale} />
      <AgreementNumbers agreement={main?.agreement} stale={stale} />
      <AgreementTable />
      <CompareView />
    </section>
  );
}
