import { useState } from 'react';
import { BackendBadge } from './components/BackendBadge';
import { EngineCheck } from './components/EngineCheck';
import { useStrata } from './store';
import { readUrlOptions } from './urlOptions';
import { useEngine } from './useEngine';

function useUrlOptionsOnce() {
  // Read the URL before the engine starts, once per page load.
  useState(() => {
    const { backend, notices } = readUrlOptions(window.location.search);
    const { setConfig, addNotice } = useStrata.getState();
    setConfig({ backend });
    notices.forEach(addNotice);
    return null;
  });
}

export function App() {
  useUrlOptionsOnce();
  useEngine();
  const notices = useStrata((s) => s.notices);
  const dismissNotice = useStrata((s) => s.dismissNotice);
  return (
    <>
      <header className="topbar">
        <h1>
          Strata <span className="tagline">inside transformer classifiers, layer by layer</span>
        </h1>
        <BackendBadge />
      </header>
      {notices.length > 0 && (
        <div role="alert" className="notices">
          {notices.map((n, i) => (
            <p key={i}>
              {n}{' '}
              <button type="button" onClick={() => dismissNotice(i)} aria-label={`Dismiss: ${n}`}>
                ×
              </button>
            </p>
          ))}
        </div>
      )}
      <main>
        <EngineCheck />
      </main>
    </>
  );
}
