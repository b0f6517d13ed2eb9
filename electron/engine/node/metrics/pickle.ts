/**
 * A reader for the subset of Python's pickle protocols 2–4 that torch.save writes for a state dict: containers,
 * numbers, strings, globals (returned as names, never imported or executed), REDUCE/BUILD (handed to the caller's
 * `reduce`), and persistent ids (handed to `persistentLoad`). Anything else is refused with the opcode named.
 */

export class PickleGlobal {
  constructor(readonly name: string) {}
}

export interface PickleHooks {
  /** REDUCE: callable (a PickleGlobal) applied to args. */
  reduce(callable: unknown, args: unknown[]): unknown;
  /** BINPERSID: what torch stored outside the pickle (storages). */
  persistentLoad(pid: unknown): unknown;
}

/** Unpickles one object from `bytes` at `start`; returns it and the offset just past its STOP opcode. */
export function unpickle(bytes: Uint8Array, hooks: PickleHooks, start = 0): { value: unknown; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder();
  let stack: unknown[] = [];
  const marks: unknown[][] = [];
  const memo = new Map<number, unknown>();
  let i = start;
  const need = (n: number) => {
    if (i + n > bytes.length) throw new Error(`the pickle ends early (at byte ${i}, needs ${n} more)`);
    const at = i;
    i += n;
    return at;
  };
  const u8 = () => bytes[need(1)]!;
  const u16 = () => view.getUint16(need(2), true);
  const u32 = () => view.getUint32(need(4), true);
  const str = (n: number) => text.decode(bytes.subarray(need(n), i));
  const line = () => {
    const end = bytes.indexOf(0x0a, i);
    if (end < 0) throw new Error('the pickle ends inside a GLOBAL');
    const s = text.decode(bytes.subarray(i, end));
    i = end + 1;
    return s;
  };
  const popMark = () => {
    const items = stack;
    const prev = marks.pop();
    if (!prev) throw new Error('MARK missing in the pickle');
    stack = prev;
    return items;
  };
  const pop = () => {
    if (stack.length === 0) throw new Error(`the pickle pops an empty stack (at byte ${i - 1})`);
    return stack.pop();
  };
  const top = () => stack[stack.length - 1];
  const setItems = (target: unknown, items: unknown[]) => {
    if (!(target instanceof Map)) throw new Error('SETITEM on something that is not a dict');
    for (let k = 0; k + 1 < items.length; k += 2) target.set(items[k], items[k + 1]);
  };
  for (;;) {
    const at = i;
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        need(8);
        break;
      case 0x2e: // STOP
        return { value: pop(), end: i };
      case 0x28: // MARK
        marks.push(stack);
        stack = [];
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x4a: // BININT
        stack.push(view.getInt32(need(4), true));
        break;
      case 0x8a: {
        // LONG1: n bytes, little-endian two's complement
        const n = u8();
        const from = need(n);
        let v = 0n;
        for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(bytes[from + k]!);
        if (n > 0 && bytes[from + n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        stack.push(view.getFloat64(need(8), false));
        break;
      case 0x58: // BINUNICODE
        stack.push(str(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(str(u8()));
        break;
      case 0x54: // BINSTRING
        stack.push(str(view.getInt32(need(4), true)));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(str(u8()));
        break;
      case 0x42: // BINBYTES
        stack.push(bytes.slice(need(u32()), i));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(bytes.slice(need(u8()), i));
        break;
      case 0x63: // GLOBAL
        stack.push(new PickleGlobal(`${line()}.${line()}`));
        break;
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        stack.push(new PickleGlobal(`${String(module)}.${String(name)}`));
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const key = op === 0x68 ? u8() : u32();
        if (!memo.has(key)) throw new Error(`the pickle refers to memo ${key}, which it never stored`);
        stack.push(memo.get(key));
        break;
      }
      case 0x74: {
        // TUPLE (popMark swaps `stack`, so take the items before naming it)
        const items = popMark();
        stack.push(items);
        break;
      }
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        (top() as unknown[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        (top() as unknown[]).push(...items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const callable = pop();
        stack.push(hooks.reduce(callable, args as unknown[]));
        break;
      }
      case 0x62: // BUILD: object state (e.g. a state dict's _metadata) is not needed
        pop();
        break;
      case 0x51: // BINPERSID
        stack.push(hooks.persistentLoad(pop()));
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      default:
        throw new Error(`unsupported pickle opcode 0x${op.toString(16)} at byte ${at}`);
    }
  }
}
