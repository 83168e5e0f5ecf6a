/** Helpers shared by the chart tests (jsdom). */
import { expect } from 'vitest';

/** Labels that would run script if a chart ever treated them as markup. */
export const HOSTILE_LABELS = [
  '<img src=x onerror=alert(1)>',
  '"></text><script>alert(1)</script>',
];

/** A fresh container attached to the document. */
export function mountContainer(): HTMLDivElement {
  const container = document.createElement('div');
  document.body.appendChild(container);
  return container;
}

/** Parses `svg` as XML; throws when it is not well-formed. */
export function parseSvg(svg: string): Document {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  if (
    doc.getElementsByTagName('parsererror').length > 0 ||
    doc.documentElement.localName !== 'svg'
  ) {
    throw new Error(`not a well-formed SVG document: ${svg.slice(0, 200)}`);
  }
  return doc;
}

/** True when the document holds anything that could run: script elements or on* attributes. */
export function hasExecutableContent(doc: Document | Element): boolean {
  const root = 'documentElement' in doc ? doc.documentElement : doc;
  for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
    if (el.localName.toLowerCase() === 'script' || el.localName.toLowerCase() === 'img')
      return true;
    if (Array.from(el.attributes).some((a) => a.name.toLowerCase().startsWith('on'))) return true;
  }
  return false;
}

/**
 * Tracks listeners added and not removed, on any target, until `restore`. jsdom's selector engine
 * (nwsapi) adds its own document listeners the first time a document is queried; those are not
 * the chart's and are left out (recognised by the caller's stack).
 */
export function trackListeners(): { active: () => number; restore: () => void } {
  const proto = EventTarget.prototype;
  const add = proto.addEventListener;
  const remove = proto.removeEventListener;
  const live = new Set<string>();
  const ids = new WeakMap<object, number>();
  let next = 0;
  const key = (target: object, type: string, fn: unknown) => {
    if (!ids.has(target)) ids.set(target, next++);
    if (!ids.has(fn as object)) ids.set(fn as object, next++);
    return `${ids.get(target)}:${type}:${ids.get(fn as object)}`;
  };
  proto.addEventListener = function (
    this: EventTarget,
    type: string,
    fn: EventListenerOrEventListenerObject | null,
    o?: boolean | AddEventListenerOptions,
  ) {
    if (fn && !/nwsapi/.test(new Error().stack ?? '')) live.add(key(this, type, fn));
    add.call(this, type, fn, o);
  };
  proto.removeEventListener = function (
    this: EventTarget,
    type: string,
    fn: EventListenerOrEventListenerObject | null,
    o?: boolean | EventListenerOptions,
  ) {
    if (fn) live.delete(key(this, type, fn));
    remove.call(this, type, fn, o);
  };
  return {
    active: () => live.size,
    restore: () => {
      proto.addEventListener = add;
      proto.removeEventListener = remove;
    },
  };
}

/** Dispatches a keydown for `key` on `target`. */
export function pressKey(target: Element, key: string): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
}

/**
 * The chart's `toSvg()` parsed, once it is checked that neither the page under `scope` nor the
 * export holds anything that could run.
 */
export function safeExport(chart: { toSvg(): string }, scope: Element = document.body): Document {
  expect(hasExecutableContent(scope)).toBe(false);
  const doc = parseSvg(chart.toSvg());
  expect(hasExecutableContent(doc)).toBe(false);
  return doc;
}

/**
 * Mounts a chart with `mount` (which may draw and interact), destroys it and checks that its
 * container is empty and every listener it added is gone. Returns the destroyed chart.
 */
export function destroyCleanly<C extends { destroy(): void }>(
  mount: (container: HTMLDivElement) => C,
): C {
  const tracker = trackListeners();
  try {
    const container = mountContainer();
    const chart = mount(container);
    expect(tracker.active()).toBeGreaterThan(0);
    chart.destroy();
    expect(container.childNodes).toHaveLength(0);
    expect(tracker.active()).toBe(0);
    return chart;
  } finally {
    tracker.restore();
  }
}
