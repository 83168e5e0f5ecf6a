import { useEffect, useState } from 'react';
import { useStrata } from '../store';
import { applyHash, startLinkSync } from './linkSync';

/**
 * Applies a share link once, before the engine starts (call it after the query-string options and
 * before useEngine), then keeps the hash and the config in step for the page's lifetime.
 */
export function useLinkSync(): void {
  useState(() => {
    applyHash(useStrata, window, true);
    return null;
  });
  useEffect(() => startLinkSync(useStrata, window), []);
}
