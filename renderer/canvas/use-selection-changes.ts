import type { EdgeChange, NodeChange } from '@xyflow/react';
import { useCallback } from 'react';
import type { NetworkName } from '../../graph-schemas';
import { useStudio } from '../app/studio';
import type { BlockFlowNode, ShapeFlowEdge } from './flow-model';

/** React Flow reports clicks and box selections as changes; the selection itself lives in the editor store. */
export function useSelectionChanges(network: NetworkName) {
  const studio = useStudio();
  const apply = useCallback(
    (changes: { type: string; id: string; selected?: boolean }[], what: 'nodes' | 'edges') => {
      const picks = changes.filter((c) => c.type === 'select');
      if (picks.length === 0) return;
      const current = studio.editor.getState().selection;
      const base = current.network === network ? current : { network, nodes: [], edges: [] };
      const ids = new Set(base[what]);
      for (const c of picks) {
        if (c.selected) ids.add(c.id);
        else ids.delete(c.id);
      }
      // Selecting in one network clears the other, so Delete and Copy act on what is visibly selected.
      if (current.network !== network && ids.size === 0) return;
      studio.editor.getState().select({ ...base, [what]: [...ids] });
      if (what === 'nodes' && ids.size > 0) studio.ui.setState({ rightTab: 'node' });
    },
    [studio, network],
  );
  return {
    applyNodeSelection: useCallback(
      (changes: NodeChange<BlockFlowNode>[]) =>
        apply(changes as { type: string; id: string; selected?: boolean }[], 'nodes'),
      [apply],
    ),
    applyEdgeSelection: useCallback(
      (changes: EdgeChange<ShapeFlowEdge>[]) =>
        apply(changes as { type: string; id: string; selected?: boolean }[], 'edges'),
      [apply],
    ),
  };
}
