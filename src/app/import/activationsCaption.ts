// Captions of the analysis-only view: the quantity, the file, N and the layer count.
import type { ActivationFileReport } from '../../engine/apiTypes';

const count = (n: number) => n.toLocaleString('en-US');

/** "Cosine similarity · acts.npz · N = 1,000 · 7 layers". */
export function activationsCaption(what: string, report: ActivationFileReport): string {
  const layers = report.layers.length;
  return `${what} · ${report.fileName} · N = ${count(report.n)} · ${layers} layer${layers === 1 ? '' : 's'}`;
}
