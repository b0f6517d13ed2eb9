import type { PyValue } from './emitter';

/** Longest line the generated code aims for (black's style, with a wider limit). */
export const LINE_LIMIT = 120;

/** A Python literal: True/False, numbers as JavaScript prints them (valid Python), strings double-quoted. */
export function pyLiteral(v: PyValue | null | readonly PyValue[] | Record<string, PyValue | null>): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`Cannot write ${v} as a Python number.`);
    // 1e-5 rather than 0.00001; JavaScript's other number forms are valid Python as they are.
    return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `(${v.map((x) => pyLiteral(x)).join(', ')}${v.length === 1 ? ',' : ''})`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${JSON.stringify(k)}: ${pyLiteral(x as PyValue | null)}`)
    .join(', ')}}`;
}

/** `target = Callee(a=1, b=2)` on one line when it fits, else one argument per line (black style). */
export function pyAssignCall(indent: string, target: string, callee: string, args: [string, PyValue][]): string {
  const parts = args.map(([k, v]) => `${k}=${pyLiteral(v)}`);
  const one = `${indent}${target} = ${callee}(${parts.join(', ')})`;
  if (one.length <= LINE_LIMIT) return one;
  return [`${indent}${target} = ${callee}(`, ...parts.map((p) => `${indent}    ${p},`), `${indent})`].join('\n');
}

/** A docstring: the text made safe inside triple quotes, wrapped at the line limit, closing quotes on their own line. */
export function pyDocstring(text: string, indent = ''): string {
  const safe = `"""${text.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"')}`;
  const lines: string[] = [];
  for (const paragraph of safe.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && indent.length + line.length + 1 + word.length > LINE_LIMIT) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return [...lines.map((l) => (l ? `${indent}${l}` : '')), `${indent}"""`].join('\n');
}

/** Snake-case, filesystem- and Python-safe name ("SAGAN-MNIST" → "sagan-mnist" for folders). */
export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'model'
  );
}
