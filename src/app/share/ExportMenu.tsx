// The export menu under every figure: SVG, PNG (1×, 2×, 4× or a width in px), CSV, JSON. A
// <details> disclosure, so it opens with Enter or Space and needs no script to be reachable;
// Escape closes it and gives focus back to its summary.
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { errorMessage } from '../effects/watch';
import { useStrata } from '../store';
import { makeExport, PNG_WIDTH_RANGE, type ExportFormat, type PngSize } from './chartExport';
import { downloadBlob } from './download';
import { exportContextOf } from './exportContext';
import type { ExportSource } from './exportSource';
import './exportMenu.css';

type SizeChoice = '1' | '2' | '4' | 'width';

const FORMATS: readonly { format: ExportFormat; label: string; title: string }[] = [
  { format: 'svg', label: 'SVG', title: 'Vector image, styles and caption included' },
  { format: 'png', label: 'PNG', title: 'Bitmap at the size chosen below' },
  { format: 'csv', label: 'CSV', title: 'The data drawn, one row per cell or point' },
  { format: 'json', label: 'JSON', title: 'The data drawn with its caption' },
];

function pngSizeOf(choice: SizeChoice, width: string): PngSize {
  return choice === 'width' ? { width: Number(width) } : { scale: Number(choice) };
}

export interface ExportMenuProps {
  /** The figure to export (null while it is not mounted). */
  source: () => ExportSource | null;
  /** The figure's caption, naming it for screen readers. */
  caption: string;
  /** Set while the figure is out of date: its exports are refused (chartExport.ts says why). */
  stale?: string | null;
}

export function ExportMenu({ source, caption, stale = null }: ExportMenuProps) {
  const id = useId();
  const details = useRef<HTMLDetailsElement>(null);
  const summary = useRef<HTMLElement>(null);
  const [size, setSize] = useState<SizeChoice>('2');
  const [width, setWidth] = useState('1600');
  const [status, setStatus] = useState('');
  const busy = useRef(false);

  async function save(format: ExportFormat) {
    const s = source();
    if (!s || busy.current) return;
    busy.current = true;
    setStatus(`Preparing ${format.toUpperCase()}…`);
    try {
      const ctx = exportContextOf(useStrata.getState(), s.caption(), new Date(), s.subject?.());
      const file = await makeExport(s, format, ctx, pngSizeOf(size, width));
      downloadBlob(file.name, file.blob);
      setStatus(`Saved ${file.name}`);
    } catch (e) {
      setStatus('');
      useStrata
        .getState()
        .addAlert('error', `Export ${format.toUpperCase()} of "${caption}": ${errorMessage(e)}`);
    } finally {
      busy.current = false;
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLDetailsElement>) {
    if (event.key !== 'Escape' || !details.current?.open) return;
    event.preventDefault();
    details.current.open = false;
    summary.current?.focus();
  }

  return (
    <details className="export-menu" ref={details} onKeyDown={onKeyDown}>
      <summary ref={summary}>
        Export<span className="visually-hidden">: {caption}</span>
      </summary>
      <div className="export-menu-panel" role="group" aria-label={`Export ${caption}`}>
        <div className="export-formats">
          {FORMATS.map(({ format, label, title }) => (
            <button
              key={format}
              type="button"
              title={title}
              disabled={stale !== null}
              onClick={() => void save(format)}
            >
              {label}
            </button>
          ))}
        </div>
        {stale && (
          <p className="export-refused" data-testid="export-refused">
            Not exported while this chart is out of date: it is updating.
          </p>
        )}
        <label htmlFor={`${id}-size`}>PNG size</label>
        <select
          id={`${id}-size`}
          value={size}
          onChange={(e) => setSize(e.target.value as SizeChoice)}
        >
          <option value="1">1×</option>
          <option value="2">2× (default)</option>
          <option value="4">4×</option>
          <option value="width">width in px</option>
        </select>
        {size === 'width' && (
          <>
            <label htmlFor={`${id}-width`}>PNG width (px)</label>
            <input
              id={`${id}-width`}
              type="number"
              inputMode="numeric"
              min={PNG_WIDTH_RANGE.min}
              max={PNG_WIDTH_RANGE.max}
              step={1}
              value={width}
              onChange={(e) => setWidth(e.target.value)}
            />
          </>
        )}
        <span className="export-status" role="status">
          {status}
        </span>
      </div>
    </details>
  );
}
