import type { RevisedResult } from '../../state/revisions';
import { revisionNotice } from '../../state/revisions';
import { useStrata, type StrataState } from '../../store';

/**
 * Says which results on show are of earlier weights than their model's (a fine-tune trained on
 * since), so that no view of an older step passes for the current one.
 */
export function RevisionNotice({
  pick,
}: {
  pick: (s: StrataState) => readonly (RevisedResult | null)[];
}) {
  const text = useStrata((s) => revisionNotice(s, pick(s)));
  if (!text) return null;
  return (
    <p className="revision-notice" role="status" data-testid="revision-notice">
      {text}
    </p>
  );
}
