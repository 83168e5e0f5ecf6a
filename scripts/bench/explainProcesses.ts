import { duration } from './report';
import { times } from './targets';
import type { Row, WorkloadResult } from './types';

function median(w: WorkloadResult | undefined, task: string, impl: string): number | null {
  const row: Row | undefined = w?.rows.find(
    (r) => r.task.startsWith(task) && r.impl.startsWith(impl) && r.timing,
  );
  return row?.timing?.median ?? null;
}

/**
 * Where W7's whole processes spend their time, from W7's own rows and W1's in-memory ones: the
 * start-up (`strata --help`), the analysis (W1 times it on arrays in memory), and the rest
 * (reading, checking and writing); and what the ratio to NumPy would be with nothing but the
 * analysis left.
 */
export function explainProcesses(w7: WorkloadResult, w1: WorkloadResult | undefined): string[] {
  const strata = median(w7, 'cosine + linear CKA', 'strata analyze, compiled');
  const numpy = median(w7, 'cosine + linear CKA', 'NumPy');
  const source = median(w7, 'cosine + linear CKA', 'strata analyze from');
  const start = median(w7, 'strata --help', 'compiled');
  const startSource = median(w7, 'strata --help', 'from');
  const analysis = median(w1, 'cosine + linear CKA', 'Strata, Node wasm');
  const numpyCompute = median(w1, 'cosine + linear CKA', 'NumPy');
  const out = [
    'Rerun with `npm run bench -- --only W7` (it builds the command line first); `--report-only` rewrites ' +
      'this file from results.json.',
  ];
  if (strata === null || numpy === null || start === null) return out;
  const lines = [
    `**Where the time goes.** The compiled \`strata analyze\` takes ${duration(strata)} as a process` +
      (source !== null ? ` (from the TypeScript sources: ${duration(source)})` : '') +
      `; \`strata --help\` alone, Node starting and loading the bundle, takes ${duration(start)}` +
      (startSource !== null
        ? ` (from the sources: ${duration(startSource)}, ${times(startSource / start)})`
        : '') +
      '.',
  ];
  // W1's in-memory times only explain W7's when both ran on a machine as quiet.
  const busy = w1 !== undefined && w7.loadBefore > Math.max(4, 2 * w1.loadBefore);
  if (busy) {
    lines.push(
      `- W7 ran at a load average of ${w7.loadBefore.toFixed(1)} (W1: ${w1.loadBefore.toFixed(1)}): ` +
        'other work shared the cores, every time here is inflated (NumPy’s threaded BLAS most), and W1’s ' +
        'in-memory times do not split these. Rerun both on an idle machine to compare.',
    );
  } else if (analysis !== null) {
    const rest = strata - start - analysis;
    lines.push(
      `- The analysis itself takes ${duration(analysis)} on arrays in memory (W1, Node wasm, ` +
        `${w1?.ranAt.slice(0, 10)}); what is left, ${duration(Math.max(0, rest))}, is reading w1.npz, ` +
        'checking its CRC-32s and values, the wasm backend starting, writing similarity.json, and the analysis ' +
        'running cold: W1 times warm repeats, while a fresh process touches all its memory for the first time ' +
        '(this VM backs a page on first touch; a cold analysis took ~1.3 s more CPU than a warm one, ' +
        'bench/notes-cpu.md).',
      `- With no start-up and no reading at all, the analysis alone would be ${times(analysis / numpy)} ` +
        `NumPy's whole process: ${analysis / numpy <= 2.5 ? 'within' : 'still over'} the 2.5× target. ` +
        (numpyCompute !== null
          ? `The gap is W1's: the matrix products run ${times(analysis / numpyCompute)} slower than ` +
            'OpenBLAS (128-bit wasm SIMD on one thread against AVX2 on both cores; W1 found the threaded ' +
            'build no faster here). Closing it is work on those products, or WebGPU on a real GPU, not on the ' +
            'command line.'
          : ''),
    );
  }
  return [...out, '', ...lines];
}
