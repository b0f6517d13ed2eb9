import { readFile } from 'node:fs/promises';

/**
 * The binary cache files' one layout: an 8-byte ASCII magic, a 4-byte little-endian length, a JSON header of that
 * length, zero padding up to `align` bytes, then the body. Readers treat anything that does not parse as a miss.
 */
const MAGIC_BYTES = 8;
const PREFIX_BYTES = MAGIC_BYTES + 4;

const padded = (n: number, align: number) => Math.ceil(n / align) * align;

/** Magic, length, JSON header and padding: what goes before the body. */
export function encodeHeaded(magic: string, header: unknown, align = 1): Uint8Array {
  if (magic.length !== MAGIC_BYTES) throw new Error(`A file magic has ${MAGIC_BYTES} characters, not "${magic}".`);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const prefix = new Uint8Array(padded(PREFIX_BYTES + json.length, align));
  prefix.set(new TextEncoder().encode(magic));
  new DataView(prefix.buffer).setUint32(MAGIC_BYTES, json.length, true);
  prefix.set(json, PREFIX_BYTES);
  return prefix;
}

/** The header (unchecked: the caller validates it) and body of `bytes`, or null when the magic or JSON is wrong. */
export function decodeHeaded(
  bytes: Uint8Array,
  magic: string,
  align = 1,
): { header: unknown; body: Uint8Array } | null {
  if (bytes.length < PREFIX_BYTES || new TextDecoder().decode(bytes.subarray(0, MAGIC_BYTES)) !== magic) return null;
  const length = new DataView(bytes.buffer, bytes.byteOffset + MAGIC_BYTES, 4).getUint32(0, true);
  if (PREFIX_BYTES + length > bytes.length) return null;
  try {
    const header: unknown = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + length)));
    return { header, body: bytes.subarray(padded(PREFIX_BYTES + length, align)) };
  } catch {
    return null;
  }
}

/** `decodeHeaded` of a file; a file that cannot be read is a miss too. */
export async function readHeadedFile(
  file: string,
  magic: string,
  align = 1,
): Promise<{ header: unknown; body: Uint8Array } | null> {
  try {
    return decodeHeaded(await readFile(file), magic, align);
  } catch {
    return null;
  }
}
