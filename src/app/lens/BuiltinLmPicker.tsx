import { useEffect, useState } from 'react';
import { SelectField } from '../components/controls/Fields';
import { BUILTIN_LMS, openBuiltinLm } from './builtinLms';
import { useLens } from './lensState';
import { useLmTune } from './lmTuneState';
import { openTunedLm, restoreTunedLms } from './tunedLms';

const NONE = 'none';
/** Picker values of fine-tuned LMs: this prefix and their storage key. */
const TUNED = 'tuned:';

/** The built-in language models: open one for the logit lens, and another to compare with. */
export function BuiltinLmPicker() {
  const model = useLens((s) => s.model);
  const compare = useLens((s) => s.compare);
  const tuned = useLmTune((s) => s.tuned);
  const [loading, setLoading] = useState<string | null>(null);
  useEffect(() => void restoreTunedLms(), []);
  const open = (id: string, role: 'main' | 'compare') => {
    setLoading(id === NONE ? null : id.startsWith(TUNED) ? 'the fine-tuned model' : id);
    const opening = id.startsWith(TUNED)
      ? openTunedLm(id.slice(TUNED.length), role)
      : openBuiltinLm(id === NONE ? null : id, role);
    void opening.finally(() => setLoading(null));
  };
  const valueOf = (m: typeof model) => (m?.tuned ? `${TUNED}${m.tuned}` : (m?.builtin ?? NONE));
  const chosen = valueOf(model);
  const tunedOptions = tuned.map((t) => ({ value: `${TUNED}${t.key}`, label: t.name }));
  const others = BUILTIN_LMS.filter((m) => m.id !== model?.builtin);
  return (
    <section className="panel" aria-labelledby="builtin-lm-title">
      <h2 id="builtin-lm-title">Built-in language models</h2>
      <SelectField
        label="Language model"
        value={chosen}
        disabled={loading !== null}
        options={[
          { value: NONE, label: model && !model.builtin ? `${model.name} (yours)` : 'none' },
          ...BUILTIN_LMS.map((m) => ({ value: m.id, label: m.title })),
          ...tunedOptions,
        ]}
        onChange={(id) => open(id, 'main')}
        help="GPT-2 style, 4 blocks of width 64, trained on IMDB reviews; no download needed. Your fine-tunes follow them."
      />
      {model && (
        <SelectField
          label="Compare with"
          value={valueOf(compare)}
          disabled={loading !== null}
          options={[
            { value: NONE, label: 'none' },
            ...others.map((m) => ({ value: m.id, label: m.title })),
            ...tunedOptions.filter((o) => o.value !== chosen),
          ]}
          onChange={(id) => open(id, 'compare')}
        />
      )}
      {loading && (
        <p className="panel-help" aria-live="polite">
          Opening {loading}…
        </p>
      )}
    </section>
  );
}
