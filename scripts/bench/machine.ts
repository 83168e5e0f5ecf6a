import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './processes';
import type { MachineInfo } from './types';

/** What this machine is (the Python and wasm fields are filled in as the workloads run). */
export function describeMachine(): MachineInfo {
  const cores = cpus();
  const tfjs = JSON.parse(
    readFileSync(join(repoRoot, 'node_modules/@tensorflow/tfjs-core/package.json'), 'utf8'),
  ) as { version: string };
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osType()} ${release()}`,
    node: process.version,
    tfjs: tfjs.version,
  };
}
