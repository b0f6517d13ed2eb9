import { useEffect, useRef, useState } from 'react';
import type { FieldSpec } from './schema-fields';
import { formatFieldValue, humanizeKey, parseFieldInput, rangeText } from './schema-fields';

export interface FieldInputProps {
  field: FieldSpec;
  value: unknown;
  label?: string;
  /** Applies an accepted value; returns the reason when the document's rules refuse it. */
  onCommit(value: unknown): string | undefined;
  /** Test id prefix, e.g. "param" gives data-testid="param-outChannels". */
  testId?: string;
}

/** How long typing must pause before a valid number is applied (so shapes follow the typing). */
const APPLY_AFTER_MS = 500;

/**
 * One param or setting. Numbers and text are checked as they are typed; a refused value stays in the
 * field, marked, with the reason under it, and the document keeps its last good value.
 */
export function FieldInput({ field, value, label, onCommit, testId = 'field' }: FieldInputProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [reason, setReason] = useState<string | undefined>();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const id = `${testId}-${field.key}`;
  const title = label ?? humanizeKey(field.key);
  const keyHint = label === undefined ? <span className="field-key">{field.key}</span> : null;

  const commitText = (text: string, final: boolean) => {
    const parsed = parseFieldInput(field, text);
    if (!parsed.ok) {
      setReason(parsed.reason);
      return;
    }
    const refused = onCommit(parsed.value);
    setReason(refused);
    if (!refused && final) setDraft(null);
  };

  const help = (
    <>
      {reason && (
        <div className="field-error" role="alert" data-testid={`${id}-error`}>
          {reason}
        </div>
      )}
      {(field.help || field.kind === 'number') && (
        <div className="field-help">
          {field.kind === 'number' && (
            <span className="field-range">{capitalise(rangeText(field).replace(/^Enter /, ''))} </span>
          )}
          {field.help}
        </div>
      )}
    </>
  );

  if (field.kind === 'boolean') {
    return (
      <div className="field field-boolean">
        <label title={field.help}>
          <input
            type="checkbox"
            checked={value === true}
            data-testid={id}
            onChange={(e) => setReason(onCommit(e.target.checked))}
          />
          <span>{title}</span>
          {keyHint}
        </label>
        {help}
      </div>
    );
  }

  if (field.kind === 'enum') {
    return (
      <div className="field">
        <label htmlFor={id} title={field.help}>
          <span>
            {title}
            {keyHint}
          </span>
        </label>
        <select id={id} data-testid={id} value={String(value ?? '')} onChange={(e) => commitText(e.target.value, true)}>
          {value === undefined && <option value="">—</option>}
          {field.options.map((o) => (
            <option key={String(o)} value={String(o)}>
              {String(o)}
            </option>
          ))}
        </select>
        {help}
      </div>
    );
  }

  if (field.kind === 'const') return null;

  const shown = draft ?? formatFieldValue(value);
  return (
    <div className="field">
      <label htmlFor={id} title={field.help}>
        <span>
          {title}
          {keyHint}
        </span>
      </label>
      <input
        id={id}
        data-testid={id}
        className={reason ? 'invalid' : undefined}
        aria-invalid={reason ? true : undefined}
        type="text"
        inputMode={field.kind === 'number' ? 'decimal' : undefined}
        spellCheck={false}
        value={shown}
        onChange={(e) => {
          const text = e.target.value;
          setDraft(text);
          const parsed = parseFieldInput(field, text);
          setReason(parsed.ok ? undefined : parsed.reason);
          clearTimeout(timer.current);
          if (parsed.ok) timer.current = setTimeout(() => commitText(text, false), APPLY_AFTER_MS);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            clearTimeout(timer.current);
            commitText(shown, true);
          } else if (e.key === 'Escape') {
            clearTimeout(timer.current);
            setDraft(null);
            setReason(undefined);
            e.currentTarget.blur();
          }
        }}
        onBlur={() => {
          clearTimeout(timer.current);
          if (draft !== null) commitText(draft, true);
        }}
      />
      {help}
    </div>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
