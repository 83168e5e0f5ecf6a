import { useState } from 'react';
import { AlertRegion } from './components/AlertRegion';
import { BackendBadge } from './components/BackendBadge';
import { Diagnostics } from './components/Diagnostics';
import { AccuracyPanel } from './components/panels/AccuracyPanel';
import { ExitPanel } from './components/panels/ExitPanel';
import { FineTunePanel } from './components/panels/FineTunePanel';
import { ModelDataPanel } from './components/panels/ModelDataPanel';
import { SimilarityPanel } from './components/panels/SimilarityPanel';
import { SessionMenu } from './persist/SessionMenu';
import { AnalysisOnlyGate } from './import/AnalysisOnlyGate';
import { DropZone } from './import/DropZone';
import { BuiltinLmPicker } from './lens/BuiltinLmPicker';
import { LanguageModelReview } from './lens/LanguageModelReview';
import { LensPanel } from './lens/LensPanel';
import { LmSimilarityPanel } from './lens/LmSimilarityPanel';
import { LmExitPanel } from './lens/LmExitPanel';
import { LmFineTunePanel } from './lens/LmFineTunePanel';
import { ModelImportReview } from './import/ModelImportReview';
import { CopyLinkButton } from './share/CopyLinkButton';
import { ReportButton } from './share/ReportButton';
import { useLinkSync } from './share/useLinkSync';
import { useStrata } from './store';
import { readUrlOptions } from './urlOptions';
import { useEngine } from './useEngine';

function useUrlOptionsOnce() {
  // Read the URL before the engine starts, once per page load.
  useState(() => {
    const { backend, samples, notices } = readUrlOptions(window.location.search);
    const { setConfig, addAlert } = useStrata.getState();
    setConfig({ backend, ...(samples === undefined ? {} : { samples }) });
    notices.forEach((n) => addAlert('notice', n));
    return null;
  });
}

export function App() {
  useUrlOptionsOnce();
  useLinkSync();
  useEngine();
  return (
    <>
      <header className="topbar">
        <h1>
          Strata <span className="tagline">inside transformer classifiers, layer by layer</span>
        </h1>
        <CopyLinkButton />
        <ReportButton />
        <SessionMenu />
        <BackendBadge />
      </header>
      <AlertRegion />
      <main className="explorer">
        <aside className="explorer-side">
          <ModelDataPanel />
          <DropZone />
          <ModelImportReview />
          <BuiltinLmPicker />
          <LanguageModelReview />
          <Diagnostics />
        </aside>
        <div className="explorer-main">
          <LensPanel />
          <LmSimilarityPanel />
          <LmExitPanel />
          <LmFineTunePanel />
          <AnalysisOnlyGate>
            <SimilarityPanel />
            <AccuracyPanel />
            <ExitPanel />
            <FineTunePanel />
          </AnalysisOnlyGate>
        </div>
      </main>
    </>
  );
}
