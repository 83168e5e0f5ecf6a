// The resident memory of a process tree from /proc: what W6 counts for Chromium (the browser
// process and every process under it: zygotes, renderers with their workers, GPU, utilities).
import { readdirSync, readFileSync } from 'node:fs';

/** One process as /proc shows it. */
export interface ProcEntry {
  pid: number;
  ppid: number;
  /** /proc/PID/comm: the executable's name, at most 15 characters. */
  comm: string;
  /** VmRSS from /proc/PID/status, in kB (0 for a kernel thread or a zombie). */
  rssKb: number;
}

/**
 * PID, PPID and name from the text of /proc/PID/stat: `pid (comm) state ppid …`. The name may hold
 * spaces and parentheses, so it ends at the last ')'. Null when the text is not of that form.
 */
export function parseStat(text: string): Pick<ProcEntry, 'pid' | 'ppid' | 'comm'> | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const ppid = Number(
    text
      .slice(close + 1)
      .trim()
      .split(/\s+/)[1],
  );
  if (!Number.isInteger(pid) || !Number.isInteger(ppid)) return null;
  return { pid, ppid, comm: text.slice(open + 1, close) };
}

/** VmRSS in kB from the text of /proc/PID/status; 0 when absent. */
export function parseRssKb(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m ? Number(m[1]) : 0;
}

/** Every process that can be read now; one that ends while being read is left out. */
export function readProcesses(root = '/proc'): ProcEntry[] {
  const out: ProcEntry[] = [];
  for (const name of readdirSync(root)) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = parseStat(readFileSync(`${root}/${name}/stat`, 'utf8'));
      if (!stat) continue;
      out.push({ ...stat, rssKb: parseRssKb(readFileSync(`${root}/${name}/status`, 'utf8')) });
    } catch {
      // ended between the listing and the read
    }
  }
  return out;
}

/**
 * The processes under `parent` (a direct child whose name matches `name`) and all their
 * descendants: e.g. the Chromium that this Node process launched and everything it started.
 */
export function treeOf(procs: readonly ProcEntry[], parent: number, name: RegExp): ProcEntry[] {
  const children = new Map<number, ProcEntry[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found: ProcEntry[] = [];
  const queue = (children.get(parent) ?? []).filter((p) => name.test(p.comm));
  while (queue.length) {
    const p = queue.shift()!;
    found.push(p);
    queue.push(...(children.get(p.pid) ?? []));
  }
  return found;
}

/** Sum of VmRSS over a tree, in MB (2^20 bytes). */
export function treeRssMb(tree: readonly ProcEntry[]): number {
  return tree.reduce((sum, p) => sum + p.rssKb, 0) / 1024;
}

/**
 * Samples a tree's summed RSS every `everyMs` until stopped; reports the first and the peak sum
 * and the most processes seen. Summed RSS counts pages shared between the processes (libraries,
 * shared memory) once per process: an upper bound on what the tree holds.
 */
export function sampleTreePeak(
  parent: number,
  name: RegExp,
  everyMs = 200,
): { stop(): { peakMb: number; firstMb: number; processes: number; samples: number } } {
  let peakMb = 0;
  let firstMb: number | null = null;
  let processes = 0;
  let samples = 0;
  const sample = () => {
    const tree = treeOf(readProcesses(), parent, name);
    firstMb ??= treeRssMb(tree);
    peakMb = Math.max(peakMb, treeRssMb(tree));
    processes = Math.max(processes, tree.length);
    samples++;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakMb, firstMb: firstMb ?? 0, processes, samples };
    },
  };
}
