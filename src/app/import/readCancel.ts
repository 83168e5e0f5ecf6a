// The Cancel of a long read (an activation file, a dataset): the page names each read, the
// progress bar's Cancel asks the engine to stop it, and the importer then keeps nothing and
// reports "cancelled" instead of an error.
import { isReadCancelled } from '../../engine/import/readCancel';
import type { ImportEngine } from '../engineViews';
import { pageEngine } from '../useEngine';
import { useImports } from './importState';

let reads = 0;

/** A fresh name for a read the user may cancel. */
export function newReadId(): string {
  reads += 1;
  return `read-${reads}`;
}

/** Cancel on the progress bar: marks the read on show as cancelled and tells the engine. */
export function cancelImportRead(engine: Pick<ImportEngine, 'cancelRead'> = pageEngine): void {
  const progress = useImports.getState().progress;
  if (!progress?.readId || progress.cancelling) return;
  useImports.setState({ progress: { ...progress, cancelling: true } });
  // A read that already ended has nothing to stop; the flag above still drops its result.
  engine.cancelRead(progress.readId).catch(() => undefined);
}

/** Whether read `readId` ended by Cancel: the engine says so, or Cancel came after it finished. */
export function endedByCancel(readId: string, error?: unknown): boolean {
  const progress = useImports.getState().progress;
  return isReadCancelled(error) || (progress?.readId === readId && progress.cancelling === true);
}
