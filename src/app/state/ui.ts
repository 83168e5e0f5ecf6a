// The ui slice: messages for the alert region, and what the user asked to see computed. Nothing here is part of a share link.
export interface Alert {
  id: number;
  kind: 'error' | 'notice';
  text: string;
  /** Alerts of one recurring condition share a key: a new one replaces the old in place. */
  key?: string;
}

export interface UiSlice {
  alerts: Alert[];
  /** The user asked for every measure's agreement with cosine (state/agreement.ts). */
  agreementWanted: boolean;
}

export const INITIAL_UI: UiSlice = { alerts: [], agreementWanted: false };

/** Alerts kept at most; the oldest go first. */
export const MAX_ALERTS = 6;
