/** A one-line progress bar on stderr; plain lines when stderr is not a terminal. */
export interface Progress {
  update(done: number, detail?: string): void;
  done(message?: string): void;
}

export function progressBar(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  const start = Date.now();
  let lastPlain = -1;
  const tty = stream.isTTY === true;
  const render = (done: number, detail = '') => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const elapsed = (Date.now() - start) / 1000;
    const eta = done > 0 ? (elapsed / done) * (total - done) : NaN;
    const timing = Number.isFinite(eta) ? ` ${elapsed.toFixed(0)}s, eta ${eta.toFixed(0)}s` : '';
    if (tty) {
      const width = 28;
      const filled = Math.round(fraction * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      stream.write(`\r${label} ${bar} ${done}/${total}${timing} ${detail}\x1b[K`);
    } else {
      // Without a terminal, a line per 10%.
      const decile = Math.floor(fraction * 10);
      if (decile !== lastPlain) {
        lastPlain = decile;
        stream.write(`${label}: ${done}/${total}${timing} ${detail}\n`);
      }
    }
  };
  return {
    update: render,
    done(message) {
      if (tty) stream.write('\r\x1b[K');
      if (message) stream.write(`${label}: ${message}\n`);
    },
  };
}

/** The progress of an engine call: a bar per phase, each finished when the next one starts. */
export function phaseProgress(stream: NodeJS.WriteStream = process.stderr): {
  onProgress(e: { phase: string; done: number; total: number }): void;
  done(): void;
} {
  let current: { phase: string; bar: Progress } | null = null;
  return {
    onProgress(e) {
      if (current?.phase !== e.phase) {
        current?.bar.done();
        current = { phase: e.phase, bar: progressBar(e.phase, e.total, stream) };
      }
      current.bar.update(e.done);
    },
    done() {
      current?.bar.done();
      current = null;
    },
  };
}
