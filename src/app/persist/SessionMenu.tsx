import { useRef } from 'react';
import { getExplorer } from '../effects/connect';
import { useStrata } from '../store';
import { usePersist } from './persistState';

/**
 * Session: export everything (config, results, saved fine-tunes) as one file, or import such a
 * file from another machine.
 */
export function SessionMenu() {
  const input = useRef<HTMLInputElement>(null);
  const busy = usePersist((s) => s.busy);
  const ready = useStrata((s) => s.run.status === 'ready');
  const persistence = () => getExplorer()?.persistence ?? null;
  const disabled = !ready || busy !== null;
  return (
    <div className="session-menu" role="group" aria-labelledby="session-menu-title">
      <span id="session-menu-title" className="session-menu-title">
        Session
      </span>
      <button type="button" disabled={disabled} onClick={() => void persistence()?.exportSession()}>
        {busy === 'export' ? 'Exporting…' : 'Export session'}
      </button>
      <button type="button" disabled={disabled} onClick={() => input.current?.click()}>
        {busy === 'import' ? 'Importing…' : 'Import session…'}
      </button>
      <input
        ref={input}
        type="file"
        accept=".zip,application/zip"
        aria-label="Session file to import"
        className="visually-hidden"
        tabIndex={-1}
        onChange={async (e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          const p = persistence();
          if (!file || !p) return;
          await p.importSession(new Uint8Array(await file.arrayBuffer()), file.name);
        }}
      />
    </div>
  );
}
