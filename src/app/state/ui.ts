// The ui slice: messages for the alert region. Nothing here is part of a share link.
export interface Alert {
  id: number;
  kind: 'error' | 'notice';
  text: string;
  /** Alerts of one recurring condition share a key: a new one replaces the old in place. */
  key?: string;
}

export interface UiSlice {
  alerts: Alert[];
}

export const INITIAL_UI: UiSlice = { alerts: [] };

/** Alerts kept at most; the oldest go first. */
export const MAX_ALERTS = 6;
