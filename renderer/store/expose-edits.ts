import { exposeParam, unexposeParam } from '../../graph-schemas';
import type { Command } from './command';
import { refuse } from './command';

/** Exposes a part's param on a block of this document: every use then sets it (undoable, one step). */
export function exposeInnerParam(type: string, innerId: string, param: string): Command {
  return {
    label: `Expose ${param}`,
    run: (doc) => {
      const out = exposeParam(doc, type, innerId, param);
      return out.ok ? { doc: out.doc, ...(out.note ? { note: out.note } : {}) } : refuse(out.reason);
    },
  };
}

/** Stops exposing a block's param: its default is baked into the parts it set, the uses' values go. */
export function unexposeInnerParam(type: string, name: string): Command {
  return {
    label: `Stop exposing ${name}`,
    run: (doc) => {
      const out = unexposeParam(doc, type, name);
      return out.ok ? { doc: out.doc, ...(out.note ? { note: out.note } : {}) } : refuse(out.reason);
    },
  };
}
