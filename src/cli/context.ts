import type { BackendInfo } from '../engine/backend';

/** What every command gets: the backend starter, and where to write human-readable lines. */
export interface CommandContext {
  backend: BackendInfo | null;
  startBackend(name: string | undefined): Promise<BackendInfo>;
  log(line: string): void;
}
