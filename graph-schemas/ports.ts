/**
 * Typed ports. A port carries one kind of value; some kinds are special cases of others
 * (a noise vector is a vector, an image is a feature map), so an input that accepts the
 * general kind also accepts the special one.
 */
export type PortKind = 'feature' | 'vector' | 'noise' | 'label' | 'image';

export type PortValue =
  | { kind: 'feature'; shape: [number, number, number] }
  | { kind: 'image'; shape: [number, number, number] }
  | { kind: 'vector'; shape: [number] }
  | { kind: 'noise'; shape: [number] }
  | { kind: 'label'; classes: number };

export type FeatureLike = Extract<PortValue, { kind: 'feature' | 'image' }>;
export type VectorLike = Extract<PortValue, { kind: 'vector' | 'noise' }>;

const specialises: Record<PortKind, PortKind[]> = {
  feature: ['feature'],
  image: ['image', 'feature'],
  vector: ['vector'],
  noise: ['noise', 'vector'],
  label: ['label'],
};

/** True when a value of kind `given` may flow into an input that accepts `accepted`. */
export function kindSatisfies(given: PortKind, accepted: readonly PortKind[]): boolean {
  return specialises[given].some((k) => accepted.includes(k));
}

export const portKindNames: Record<PortKind, string> = {
  feature: 'a feature map',
  image: 'an image',
  vector: 'a vector',
  noise: 'a noise vector',
  label: 'a class label',
};

/** Colours per port kind, shared by the editor's handles and edges. */
export const portKindColors: Record<PortKind, string> = {
  feature: '#4f8cff',
  image: '#b36bff',
  vector: '#2fb37a',
  noise: '#e0a526',
  label: '#e5484d',
};

export function formatShape(value: PortValue): string {
  switch (value.kind) {
    case 'label':
      return value.classes > 0 ? `label (${value.classes} classes)` : 'label';
    case 'vector':
    case 'noise':
      return `[${value.shape[0]}]`;
    default:
      return `[${value.shape.join(', ')}]`;
  }
}

/** "a vector [1024]" — used in messages about refused connections. */
export function describeValue(value: PortValue): string {
  return value.kind === 'label' ? portKindNames.label : `${portKindNames[value.kind]} ${formatShape(value)}`;
}

export function describeAccepted(accepted: readonly PortKind[]): string {
  const names = accepted.map((k) => portKindNames[k]);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** Resolution label of a square feature map, e.g. "feat32"; the paper names attention placements this way. */
export function resolutionLabel(value: PortValue | undefined): string | undefined {
  if (!value || (value.kind !== 'feature' && value.kind !== 'image')) return undefined;
  const [h, w] = value.shape;
  return h === w ? `feat${h}` : `feat${h}×${w}`;
}
