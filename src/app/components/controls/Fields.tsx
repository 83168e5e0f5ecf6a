// Labelled form fields: each control has a visible <label> and works from the keyboard.
import { useId, useState, type ReactNode } from 'react';

interface SelectFieldProps<T extends string> {
  label: string;
  value: T | null;
  options: readonly { value: T; label: string }[];
  onChange(value: T): void;
  disabled?: boolean;
  help?: ReactNode;
}

export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
  disabled,
  help,
}: SelectFieldProps<T>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value ?? ''}
        disabled={disabled || options.length === 0}
        onChange={(e) => onChange(e.target.value as T)}
      >
        {value === null && <option value="">—</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {help && <span className="field-help">{help}</span>}
    </div>
  );
}

interface NumberFieldProps {
  label: string;
  value: number;
  min: number;
  max: number;
  integer?: boolean;
  step?: number | 'any';
  onCommit(value: number): void;
  disabled?: boolean;
}

/**
 * A number typed freely and committed on Enter or when focus leaves (not per keystroke, so a
 * half-typed value starts no engine work); out-of-range input is refused with a message.
 */
export function NumberField({
  label,
  value,
  min,
  max,
  integer,
  step,
  onCommit,
  disabled,
}: NumberFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    const v = Number(draft);
    if (
      draft.trim() === '' ||
      !Number.isFinite(v) ||
      v < min ||
      v > max ||
      (integer && !Number.isInteger(v))
    ) {
      setProblem(
        `${label}: expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`,
      );
    } else {
      setProblem(null);
      if (v !== value) onCommit(v);
    }
    setDraft(null);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode={integer ? 'numeric' : 'decimal'}
        min={min}
        max={max}
        step={step ?? (integer ? 1 : 'any')}
        value={draft ?? String(value)}
        disabled={disabled}
        aria-invalid={problem !== null}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            setDraft(null);
            setProblem(null);
          }
        }}
      />
      {problem && (
        <span id={`${id}-problem`} className="field-problem">
          {problem}
        </span>
      )}
    </div>
  );
}

interface CheckboxFieldProps {
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
  disabled?: boolean;
}

export function CheckboxField({ label, checked, onChange, disabled }: CheckboxFieldProps) {
  const id = useId();
  return (
    <div className="field field-check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
