import { useEffect, useId, useRef, useState } from 'react';
import { useStrata } from '../store';
import { shareUrl, writeHash } from './linkSync';

/** How long "Link copied" stays on show. */
const CONFIRM_MS = 4000;

type CopyState = { kind: 'idle' } | { kind: 'copied' } | { kind: 'manual'; url: string };

/**
 * "Copy link": puts the link that reopens this view on the clipboard. Where the clipboard is not
 * allowed (an insecure context, a refused permission) it shows the link in a read-only field,
 * selected, for the user to copy by hand.
 */
export function CopyLinkButton() {
  const [state, setState] = useState<CopyState>({ kind: 'idle' });
  const fieldId = useId();
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (state.kind === 'manual') {
      field.current?.focus();
      field.current?.select();
    }
    if (state.kind !== 'copied') return;
    const timer = setTimeout(() => setState({ kind: 'idle' }), CONFIRM_MS);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    writeHash(useStrata, window);
    const url = shareUrl(useStrata, window);
    try {
      // Absent outside secure contexts; rejected when the page may not write the clipboard.
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      setState({ kind: 'copied' });
    } catch {
      setState({ kind: 'manual', url });
    }
  };

  return (
    <div className="share-link">
      <button
        type="button"
        onClick={() => void copy()}
        title="Copy a link that reopens this view: model, data and every setting"
      >
        Copy link
      </button>
      <span role="status" className={`share-link-status share-link-${state.kind}`}>
        {state.kind === 'copied' ? 'Link copied' : ''}
        {state.kind === 'manual' ? 'Copy the selected link (Ctrl+C or ⌘C)' : ''}
      </span>
      {state.kind === 'manual' && (
        <div className="share-link-field">
          <label htmlFor={fieldId}>Link to this view</label>
          <input
            id={fieldId}
            ref={field}
            type="text"
            readOnly
            value={state.url}
            onFocus={(e) => e.currentTarget.select()}
            onKeyDown={(e) => e.key === 'Escape' && setState({ kind: 'idle' })}
          />
          <button type="button" onClick={() => setState({ kind: 'idle' })}>
            Done
          </button>
        </div>
      )}
    </div>
  );
}
