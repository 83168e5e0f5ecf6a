import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { registerExportSource } from './chartRegistry';
import type { ExportSource } from './exportSource';

/**
 * Registers the source `create` builds while the calling component is mounted (for the report),
 * and returns a getter for the export menu. `create` runs once; the source it returns should read
 * what it exports through refs, so it stays current.
 */
export function useExportSource(create: () => ExportSource): () => ExportSource | null {
  const factory = useRef(create);
  useLayoutEffect(() => {
    factory.current = create;
  });
  const source = useRef<ExportSource | null>(null);
  useEffect(() => {
    const s = factory.current();
    source.current = s;
    const unregister = registerExportSource(s);
    return () => {
      unregister();
      source.current = null;
    };
  }, []);
  return useCallback(() => source.current, []);
}
