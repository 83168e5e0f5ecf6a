import type { BackendInfo } from '../engine/backend';
import type { EngineApi } from '../engine/api';

/** What every command gets: the engine starter, and where to write human-readable lines. */
export interface CommandContext {
  backend: BackendInfo | null;
  /**
   * The engine every command runs through (createEngine on nodeEngineHost, as the worker hosts it
   * for the page), started on a Node backend: `wasm` (default) or `cpu`.
   */
  startEngine(backend: string | undefined): Promise<EngineApi>;
  log(line: string): void;
}
