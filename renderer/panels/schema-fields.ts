import { z } from 'zod';

/** One editable field, read from a zod schema (through its JSON Schema): what the inspector draws. */
export type FieldSpec =
  | {
      kind: 'number';
      key: string;
      integer: boolean;
      min?: number;
      max?: number;
      minExclusive?: boolean;
      maxExclusive?: boolean;
      default?: number;
      help?: string;
      required: boolean;
    }
  | {
      kind: 'enum';
      key: string;
      options: readonly (string | number)[];
      default?: string | number;
      help?: string;
      required: boolean;
    }
  | { kind: 'boolean'; key: string; default?: boolean; help?: string; required: boolean }
  | {
      kind: 'text';
      key: string;
      minLength?: number;
      maxLength?: number;
      default?: string;
      help?: string;
      required: boolean;
    }
  | { kind: 'const'; key: string; value: unknown; help?: string; required: boolean };

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: (string | number)[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
}

const cache = new WeakMap<z.ZodType, FieldSpec[]>();

/** The fields of an object schema, in declaration order. Nested objects are left to their own panels. */
export function fieldsOf(schema: z.ZodObject): FieldSpec[] {
  const cached = cache.get(schema);
  if (cached) return cached;
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(json.required ?? []);
  const fields: FieldSpec[] = [];
  for (const [key, prop] of Object.entries(json.properties ?? {})) {
    const field = fieldOf(key, prop, required.has(key));
    if (field) fields.push(field);
  }
  cache.set(schema, fields);
  return fields;
}

function fieldOf(key: string, s: JsonSchema, required: boolean): FieldSpec | undefined {
  const help = s.description;
  const common = { key, required, ...(help ? { help } : {}) };
  const choices = s.anyOf ?? s.oneOf;
  if (s.enum) return { kind: 'enum', ...common, options: s.enum, ...withDefault(s.default) };
  if (choices?.every((c) => c.const !== undefined))
    return {
      kind: 'enum',
      ...common,
      options: choices.map((c) => c.const as string | number),
      ...withDefault(s.default),
    };
  if (s.const !== undefined) return { kind: 'const', ...common, value: s.const };
  if (s.type === 'boolean')
    return { kind: 'boolean', ...common, ...(typeof s.default === 'boolean' ? { default: s.default } : {}) };
  if (s.type === 'integer' || s.type === 'number') {
    return {
      kind: 'number',
      ...common,
      integer: s.type === 'integer',
      ...(s.exclusiveMinimum !== undefined
        ? { min: s.exclusiveMinimum, minExclusive: true }
        : s.minimum !== undefined && s.minimum > Number.MIN_SAFE_INTEGER
          ? { min: s.minimum }
          : {}),
      // zod's whole numbers carry the safe-integer bounds; those are no limit a person needs to read.
      ...(s.exclusiveMaximum !== undefined
        ? { max: s.exclusiveMaximum, maxExclusive: true }
        : s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER
          ? { max: s.maximum }
          : {}),
      ...(typeof s.default === 'number' ? { default: s.default } : {}),
    };
  }
  if (s.type === 'string') {
    return {
      kind: 'text',
      ...common,
      ...(s.minLength !== undefined ? { minLength: s.minLength } : {}),
      ...(s.maxLength !== undefined ? { maxLength: s.maxLength } : {}),
      ...(typeof s.default === 'string' ? { default: s.default } : {}),
    };
  }
  return undefined;
}

function withDefault(value: unknown): { default?: string | number } {
  return typeof value === 'string' || typeof value === 'number' ? { default: value } : {};
}

export type ParsedInput = { ok: true; value: unknown } | { ok: false; reason: string };

/** Reads what a person typed into a field; a refusal says why in words, and the text stays in the field. */
export function parseFieldInput(field: FieldSpec, text: string): ParsedInput {
  switch (field.kind) {
    case 'number': {
      const trimmed = text
        .trim()
        .replace(/_/g, '')
        .replace(/,(?=\d{3}\b)/g, '');
      if (trimmed === '') return { ok: false, reason: 'Enter a number.' };
      const value = Number(trimmed);
      if (!Number.isFinite(value)) return { ok: false, reason: `"${text.trim()}" is not a number.` };
      if (field.integer && !Number.isInteger(value)) return { ok: false, reason: 'Enter a whole number.' };
      return checkRange(field, value);
    }
    case 'enum': {
      const match = field.options.find((o) => String(o) === text);
      return match === undefined
        ? { ok: false, reason: `Choose one of ${field.options.join(', ')}.` }
        : { ok: true, value: match };
    }
    case 'boolean':
      return text === 'true' || text === 'false'
        ? { ok: true, value: text === 'true' }
        : { ok: false, reason: 'Choose on or off.' };
    case 'text':
      if (field.minLength !== undefined && text.length < field.minLength)
        return {
          ok: false,
          reason: field.minLength === 1 ? 'This cannot be empty.' : `Enter at least ${field.minLength} characters.`,
        };
      if (field.maxLength !== undefined && text.length > field.maxLength)
        return { ok: false, reason: `Keep it to ${field.maxLength} characters.` };
      return { ok: true, value: text };
    case 'const':
      return { ok: true, value: field.value };
  }
}

function checkRange(field: Extract<FieldSpec, { kind: 'number' }>, value: number): ParsedInput {
  const { min, max, minExclusive, maxExclusive } = field;
  const low = min === undefined || (minExclusive ? value > min : value >= min);
  const high = max === undefined || (maxExclusive ? value < max : value <= max);
  if (low && high) return { ok: true, value };
  return { ok: false, reason: rangeText(field) };
}

/** "between 1 and 8192", "above 0 and at most 1"; also shown under the field as the allowed range. */
export function rangeText(field: Extract<FieldSpec, { kind: 'number' }>): string {
  const what = field.integer ? 'a whole number' : 'a number';
  const { min, max, minExclusive, maxExclusive } = field;
  if (min !== undefined && max !== undefined) {
    if (!minExclusive && !maxExclusive) return `Enter ${what} from ${fmt(min)} to ${fmt(max)}.`;
    return `Enter ${what} ${minExclusive ? 'above' : 'of at least'} ${fmt(min)} and ${maxExclusive ? 'below' : 'at most'} ${fmt(max)}.`;
  }
  if (min !== undefined) return `Enter ${what} ${minExclusive ? 'above' : 'of at least'} ${fmt(min)}.`;
  if (max !== undefined) return `Enter ${what} ${maxExclusive ? 'below' : 'of at most'} ${fmt(max)}.`;
  return `Enter ${what}.`;
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 20 });

function fmt(n: number): string {
  if (n !== 0 && Math.abs(n) < 1e-3) return n.toExponential().replace('e+', 'e');
  return Math.abs(n) >= 1e4 ? grouped.format(n) : String(n);
}

/**
 * Checks a whole params object after one field changed, for rules beyond a field's range (an odd kernel
 * size). Only problems of that field refuse it; another field's problem stays on the node until fixed.
 */
export function checkWithSchema(schema: z.ZodType, value: unknown, key: string): ParsedInput {
  const parsed = schema.safeParse(value);
  const issue = parsed.success ? undefined : parsed.error.issues.find((i) => String(i.path[0]) === key);
  return issue ? { ok: false, reason: sentence(issue.message) } : { ok: true, value };
}

function sentence(message: string): string {
  const text = message.replace(/^Invalid input: /, '');
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** How a value shows in a text box: numbers without float noise. */
export function formatFieldValue(value: unknown): string {
  if (typeof value === 'number')
    return Math.abs(value) > 0 && Math.abs(value) < 1e-3 ? value.toExponential().replace('e+', 'e') : String(value);
  return value === undefined || value === null ? '' : String(value);
}

/** "outChannels" → "Out channels", for field labels (the key itself is shown beside it, as in the file). */
export function humanizeKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
