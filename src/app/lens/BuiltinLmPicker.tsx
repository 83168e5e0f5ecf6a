import { useState } from 'react';
import { SelectField } from '../components/controls/Fields';
import { BUILTIN_LMS, openBuiltinLm } from './builtinLms';
import { useLens } from './lensState';

const NONE = 'none';

/** The built-in language models: open one for the logit lens, and another to compare with. */
export function BuiltinLmPicker() {
  const model = useLens((s) => s.model);
  const compare = useLens((s) => s.compare);
  const [loading, setLoading] = useState<string | null>(null);
  const open = (id: string, role: 'main' | 'compare') => {
    setLoading(id === NONE ? null : id);
    void openBuiltinLm(id === NONE ? null : id, role).finally(() => setLoading(null));
  };
  const chosen = model?.builtin ?? NONE;
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
        ]}
        onChange={(id) => open(id, 'main')}
        help="GPT-2 style, 4 blocks of width 64, trained on IMDB reviews; no download needed."
      />
      {model && (
        <SelectField
          label="Compare with"
          value={compare?.builtin ?? NONE}
          disabled={loading !== null}
          options={[
            { value: NONE, label: 'none' },
            ...others.map((m) => ({ value: m.id, label: m.title })),
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
