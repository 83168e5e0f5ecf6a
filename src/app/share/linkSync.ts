// Keeps the URL hash and the config in step: a link is applied once at start-up (before the
// engine starts) and again whenever the user edits the hash; the hash follows the controls with
// history.replaceState, debounced, so moving a slider adds no history entries.
import type { StrataStore } from '../store';
import { DEFAULT_CONFIG, type ExplorerConfig } from '../state/config';
import { readUrlOptions } from '../urlOptions';
import { decodeLink, encodeLink } from './link';

/** The parts of `window` the sync uses (a test passes jsdom's). */
export type LinkWindow = Pick<
  Window,
  | 'location'
  | 'history'
  | 'addEventListener'
  | 'removeEventListener'
  | 'setTimeout'
  | 'clearTimeout'
>;

/** Quiet time after the last control change before the hash is rewritten. */
export const HASH_DEBOUNCE_MS = 300;

/**
 * What a field absent from the hash means: its default, except where the query string
 * (`?samples=`, `?backend=`) chose otherwise. Encoding and decoding use the same base.
 */
export function linkBase(search: string, backend: ExplorerConfig['backend']): ExplorerConfig {
  const { samples } = readUrlOptions(search);
  return {
    ...structuredClone(DEFAULT_CONFIG),
    backend,
    samples: samples ?? DEFAULT_CONFIG.samples,
  };
}

/**
 * Applies the hash's config to the store, with one notice for whatever it had to ignore. An empty
 * hash means the defaults, unless `onlyIfPresent` (start-up: no link, nothing to apply).
 */
export function applyHash(
  store: StrataStore,
  win: Pick<Window, 'location'>,
  onlyIfPresent = false,
): void {
  const { config, applyConfig, addAlert } = store.getState();
  const decoded = decodeLink(win.location.hash, linkBase(win.location.search, config.backend));
  if (!decoded.present && onlyIfPresent) return;
  applyConfig(decoded.config);
  if (decoded.notice) addAlert('notice', decoded.notice);
}

/** The hash the current config should have, or null while its ids wait for the catalogue. */
function currentHash(store: StrataStore, win: Pick<Window, 'location'>): string | null {
  const { config, results } = store.getState();
  if (results.models.length === 0) return null;
  return `#${encodeLink(config, linkBase(win.location.search, config.backend))}`;
}

/** Writes the current config into the hash now (no history entry). */
export function writeHash(store: StrataStore, win: Pick<Window, 'location' | 'history'>): void {
  const hash = currentHash(store, win);
  if (hash !== null && win.location.hash !== hash)
    win.history.replaceState(win.history.state, '', hash);
}

/** The link that reopens the current view: this page's address with the config's hash. */
export function shareUrl(store: StrataStore, win: Pick<Window, 'location'>): string {
  const { origin, pathname, search, href } = win.location;
  const hash = currentHash(store, win);
  return hash === null ? href : `${origin}${pathname}${search}${hash}`;
}

/** Starts following the config into the hash, and the hash (edited by hand) into the config. */
export function startLinkSync(store: StrataStore, win: LinkWindow): () => void {
  let timer: number | undefined;
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.config === previous.config && state.results.models === previous.results.models)
      return;
    win.clearTimeout(timer);
    timer = win.setTimeout(() => writeHash(store, win), HASH_DEBOUNCE_MS);
  });
  const onHashChange = () => {
    win.clearTimeout(timer);
    applyHash(store, win);
  };
  win.addEventListener('hashchange', onHashChange);
  return () => {
    win.clearTimeout(timer);
    unsubscribe();
    win.removeEventListener('hashchange', onHashChange);
  };
}
