// One zustand store of typed slices (DESIGN.md §2): config (what the user chose), run (the
// engine's state), results (what it computed). The engine itself stays outside the store.
import { create } from 'zustand';
import type { BackendInfo, BackendName, DemoResult } from '../engine/api';

export interface ConfigSlice {
  backend?: BackendName;
  seed: number;
}

export type EngineStatus = 'starting' | 'ready' | 'failed';

export interface RunSlice {
  status: EngineStatus;
  backendInfo: BackendInfo | null;
  error: string | null;
}

export interface ResultsSlice {
  demo: DemoResult | null;
}

export interface StrataState {
  config: ConfigSlice;
  run: RunSlice;
  results: ResultsSlice;
  notices: string[];
  setConfig(patch: Partial<ConfigSlice>): void;
  setRun(patch: Partial<RunSlice>): void;
  setResults(patch: Partial<ResultsSlice>): void;
  addNotice(message: string): void;
  dismissNotice(index: number): void;
}

const initial = {
  config: { seed: 1 } as ConfigSlice,
  run: { status: 'starting', backendInfo: null, error: null } as RunSlice,
  results: { demo: null } as ResultsSlice,
  notices: [] as string[],
};

export const useStrata = create<StrataState>()((set) => ({
  ...initial,
  setConfig: (patch) => set((s) => ({ config: { ...s.config, ...patch } })),
  setRun: (patch) => set((s) => ({ run: { ...s.run, ...patch } })),
  setResults: (patch) => set((s) => ({ results: { ...s.results, ...patch } })),
  addNotice: (message) => set((s) => ({ notices: [...s.notices, message] })),
  dismissNotice: (index) => set((s) => ({ notices: s.notices.filter((_, i) => i !== index) })),
}));

/** Back to the initial state (tests). */
export function resetStrata(): void {
  useStrata.setState(initial);
}
