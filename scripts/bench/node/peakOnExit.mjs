// Loaded with `node --import` before a command the benchmark times as a user runs it: at exit,
// writes the process's peak resident memory (getrusage's ru_maxrss, KiB) to $STRATA_PEAK_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.STRATA_PEAK_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
