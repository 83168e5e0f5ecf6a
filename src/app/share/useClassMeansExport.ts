import { useLayoutEffect, useRef, type RefObject } from 'react';
import type { AnalysisResult } from '../../engine/apiTypes';
import { classMeansData, classMeansSource } from './classMeansExport';
import type { ExportSource } from './exportSource';
import { useExportSource } from './useExportSource';

/** Makes a class-means figure exportable: returns the source getter for its export menu. */
export function useClassMeansExport(
  figure: RefObject<HTMLElement | null>,
  entry: {
    name: string;
    result: AnalysisResult;
    classNames: string[];
    caption: string;
    stale: string | null;
  },
): () => ExportSource | null {
  const latest = useRef(entry);
  useLayoutEffect(() => {
    latest.current = entry;
  });
  return useExportSource(() => ({
    ...classMeansSource(
      () => figure.current,
      () => {
        const { name, result, classNames, caption } = latest.current;
        return { data: classMeansData(name, result, classNames), caption };
      },
    ),
    stale: () => latest.current.stale,
  }));
}
