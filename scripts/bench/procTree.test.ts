import { describe, expect, it } from 'vitest';
import { parseRssKb, parseStat, treeOf, treeRssMb, type ProcEntry } from './procTree';

const statOf = (pid: number, comm: string, ppid: number) =>
  `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 100 0 0 0`;

describe('procTree', () => {
  it('reads pid, ppid and a name with spaces and parentheses from /proc/PID/stat', () => {
    expect(parseStat(statOf(42, 'chromium', 7))).toEqual({ pid: 42, ppid: 7, comm: 'chromium' });
    expect(parseStat(statOf(43, 'Web (Content) 1', 42))).toEqual({
      pid: 43,
      ppid: 42,
      comm: 'Web (Content) 1',
    });
    expect(parseStat('garbage')).toBeNull();
  });

  it('reads VmRSS from /proc/PID/status, 0 when a kernel thread has none', () => {
    expect(
      parseRssKb('Name:\tchromium\nVmPeak:\t 900 kB\nVmRSS:\t  123456 kB\nRssAnon:\t1 kB\n'),
    ).toBe(123456);
    expect(parseRssKb('Name:\tkthreadd\nState:\tS\n')).toBe(0);
  });

  it("sums the browser's whole tree: zygote, renderers under it, GPU; not the server beside it", () => {
    const node = 100;
    const procs: ProcEntry[] = [
      { pid: node, ppid: 1, comm: 'node', rssKb: 500_000 },
      { pid: 101, ppid: node, comm: 'node', rssKb: 80_000 }, // vite preview, a sibling
      { pid: 200, ppid: node, comm: 'chromium', rssKb: 200 * 1024 },
      { pid: 201, ppid: 200, comm: 'chromium', rssKb: 10 * 1024 }, // zygote
      { pid: 202, ppid: 201, comm: 'chromium', rssKb: 20 * 1024 }, // zygote's fork
      { pid: 203, ppid: 202, comm: 'chromium', rssKb: 700 * 1024 }, // renderer (+ its worker)
      { pid: 204, ppid: 200, comm: 'chromium', rssKb: 60 * 1024 }, // GPU process
      { pid: 300, ppid: 1, comm: 'chromium', rssKb: 999 * 1024 }, // someone else's browser
    ];
    const tree = treeOf(procs, node, /chrom/i);
    expect(tree.map((p) => p.pid).sort()).toEqual([200, 201, 202, 203, 204]);
    expect(treeRssMb(tree)).toBe(990);
    expect(treeOf(procs, 999, /chrom/i)).toEqual([]);
  });
});
