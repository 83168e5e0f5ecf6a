import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { vulkanEnv } from './gpu/vulkan';

/** The prefix of the one stdout line a child process reports its result on. */
export const RESULT_MARKER = 'BENCH_RESULT ';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface ChildRun {
  stdout: string;
  stderr: string;
  code: number | null;
  wallMs: number;
}

/** Runs a command to its end (no shell), collecting its output; never rejects on a non-zero exit. */
export function runProcess(
  command: string,
  args: readonly string[],
  {
    timeoutMs = 30 * 60_000,
    echo = true,
    env,
  }: { timeoutMs?: number; echo?: boolean; env?: Record<string, string> } = {},
): Promise<ChildRun> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (echo) process.stderr.write(c);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(new Error(`could not start ${command}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ stdout, stderr, code, wallMs: performance.now() - start });
    });
  });
}

function failure(what: string, run: ChildRun): Error {
  const tail = (run.stderr || run.stdout).trim().split('\n').slice(-8).join('\n');
  return new Error(
    `${what} exited with ${run.code ?? 'a signal (killed: timeout or memory)'}:\n${tail}`,
  );
}

/**
 * Runs one job in a fresh Node process on a backend (scripts/bench/child.ts) and returns what it
 * reported: `{details, result}`.
 */
export async function runNodeChild<T>(
  backend: string,
  task: object,
  timeoutMs?: number,
): Promise<{ details: Record<string, unknown>; result: T }> {
  const args = [
    '--expose-gc',
    join(repoRoot, 'scripts/node-ts.mjs'),
    join(repoRoot, 'scripts/bench/child.ts'),
    backend,
    JSON.stringify(task),
  ];
  // WebGPU in Node (Dawn) needs a Vulkan loader found at process start.
  const env = backend === 'webgpu' ? vulkanEnv() : undefined;
  const run = await runProcess(process.execPath, args, { timeoutMs, env });
  const line = run.stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
  if (run.code !== 0 || !line)
    throw failure(`bench child (${backend}, ${JSON.stringify(task).slice(0, 80)}…)`, run);
  return JSON.parse(line.slice(RESULT_MARKER.length));
}

/** Runs a Python script that prints one JSON object as its last stdout line. */
export async function runPythonJson<T>(
  python: string,
  script: string,
  args: readonly string[],
  timeoutMs?: number,
): Promise<T> {
  const run = await runProcess(python, [join(repoRoot, script), ...args], { timeoutMs });
  const line = run.stdout.trim().split('\n').pop();
  if (run.code !== 0 || !line) throw failure(`${python} ${script}`, run);
  return JSON.parse(line) as T;
}

/** Whether `python -c CODE` succeeds (a module is importable), without echoing anything. */
export async function pythonCan(
  python: string,
  code: string,
  timeoutMs = 60_000,
): Promise<boolean> {
  try {
    const run = await runProcess(python, ['-c', code], { timeoutMs, echo: false });
    return run.code === 0;
  } catch {
    return false;
  }
}
