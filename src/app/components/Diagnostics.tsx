import { EngineCheck } from './EngineCheck';

/** Checks of the engine itself, out of the way: open the details to see them. */
export function Diagnostics() {
  return (
    <details className="panel diagnostics">
      <summary>Diagnostics</summary>
      <EngineCheck />
    </details>
  );
}
