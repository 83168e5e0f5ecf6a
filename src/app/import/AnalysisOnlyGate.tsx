import { useEffect, type ReactNode } from 'react';
import { useStrata } from '../store';
import { ActivationsView, NeedsModelPanel } from './ActivationsView';
import { importActivationFiles, leaveActivationsView } from './activationsImport';
import { useImports } from './importState';
import { importModelFiles } from './modelImport';
import type { DropImporter } from './types';

declare global {
  interface Window {
    /** The importers, for scripting the page and end-to-end checks (the drop zone calls the same). */
    strataImport?: { importModelFiles: DropImporter; importActivationFiles: DropImporter };
  }
}

/**
 * The explorer's main column, or — while an activation file is open — its analysis-only view with
 * the model-dependent panels off. The panels' results stay in the store meanwhile, so "Back"
 * shows them as they were.
 */
export function AnalysisOnlyGate({ children }: { children: ReactNode }) {
  const view = useImports((s) => s.activations);
  const modelId = useStrata((s) => s.config.modelId);
  const dataset = useStrata((s) => s.config.dataset);
  useEffect(() => {
    window.strataImport = { importModelFiles, importActivationFiles };
    return () => {
      delete window.strataImport;
    };
  }, []);
  // Choosing a model in the picker means leaving the file for that model. A file opened before
  // the page had its first model stays open; "Back" goes to that model.
  useEffect(() => {
    if (!view || modelId === view.previousModelId) return;
    if (view.previousModelId === null)
      useImports.setState({
        activations: { ...view, previousModelId: modelId, previousDataset: dataset },
      });
    else leaveActivationsView();
  }, [view, modelId, dataset]);
  if (!view) return <>{children}</>;
  const backTo = view.previousModelId ?? 'the model';
  return (
    <>
      <ActivationsView view={view} backTo={backTo} />
      <NeedsModelPanel title="Per-layer accuracy" backTo={backTo} />
      <NeedsModelPanel title="Early exit" backTo={backTo} />
      <NeedsModelPanel title="Fine-tune" backTo={backTo} />
    </>
  );
}
