/**
 * Seeds for initialisers, derived from a parent seed and labels (network, node id, sub-layer, weight slot) by a
 * real hash, so that layers of the same shape start independent while a run stays reproducible from one seed.
 * Adding small offsets instead (seed + k) makes two layers draw the same numbers whenever their offsets meet,
 * and a random generator seeded alike gives the same leading values even for tensors of different shapes.
 */

/** A 53-bit integer (exact in a double, so it survives JSON layer configs) hashed from a seed and labels. */
export function deriveSeed(seed: number, ...labels: (string | number)[]): number {
  const text = [String(seed), ...labels.map(String)].join('\u0000');
  // Two 32-bit multiply-xorshift lanes over the UTF-16 code units, each finalised with murmur3's avalanche.
  let a = 0x9e3779b9 ^ text.length;
  let b = 0x85ebca6b ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0xcc9e2d51);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ c, 0x1b873593);
    b = (b << 13) | (b >>> 19);
  }
  a = avalanche(a ^ Math.imul(b, 0x27d4eb2f));
  b = avalanche(b ^ Math.imul(a, 0x165667b1));
  return (b & 0x1fffff) * 0x100000000 + (a >>> 0);
}

function avalanche(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
