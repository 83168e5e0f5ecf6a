// The exportable figures now on the page, for the report (and for end-to-end checks). Charts are
// resources, not state: they live here, not in the store.
import type { ExportSource } from './exportSource';

const sources = new Set<ExportSource>();

/** Adds `source`; the returned function removes it (call it when the figure unmounts). */
export function registerExportSource(source: ExportSource): () => void {
  sources.add(source);
  return () => void sources.delete(source);
}

/** The sources whose figure is in the document, in document order (the order they read in). */
export function exportSources(): ExportSource[] {
  const placed = [...sources].filter((s) => s.element()?.isConnected);
  return placed.sort((a, b) => {
    const pos = a.element()!.compareDocumentPosition(b.element()!);
    return pos & Node.DOCUMENT_POSITION_FOLLOWING
      ? -1
      : pos & Node.DOCUMENT_POSITION_PRECEDING
        ? 1
        : 0;
  });
}

/**
 * The sources worth a place in the report: those that draw something. A chart mounted before its
 * data (the training-loss curve before any fine-tune) has only its CSV header.
 */
export function reportSources(): ExportSource[] {
  return exportSources().filter((s) => {
    const rows = s
      .csv()
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    return rows.length > 1;
  });
}

declare global {
  interface Window {
    /**
     * The figures on the page as plain records, for the console and end-to-end checks:
     * `strataCharts()` → [{ kind, caption, data }] in page order.
     */
    strataCharts?: () => { kind: string; caption: string; data: unknown }[];
  }
}

if (typeof window !== 'undefined') {
  window.strataCharts = () =>
    exportSources().map((s) => ({ kind: s.kind, caption: s.caption(), data: s.data() }));
}
