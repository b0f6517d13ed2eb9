import type { ReactFlowInstance } from '@xyflow/react';
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { NetworkName } from '../../graph-schemas';
import { useStudio } from '../app/studio';
import type { PaneControls } from '../app/ui-store';
import { notify } from '../app/ui-store';
import { moveNodes } from '../store/graph-edits';
import { layoutNetwork } from './auto-layout';
import type { BlockFlowNode, ShapeFlowEdge, Size } from './flow-model';
import { FIT_VIEW } from './lod';

/** Registers what the menus and the problems list may do with this pane's viewport. */
export function usePaneControls(
  network: NetworkName,
  flow: ReactFlowInstance<BlockFlowNode, ShapeFlowEdge>,
  measured: ReadonlyMap<string, Size>,
) {
  const studio = useStudio();
  // The controls read the newest sizes when used; they are registered once per pane.
  const sizes = useRef(measured);
  useLayoutEffect(() => {
    sizes.current = measured;
  });
  useEffect(() => {
    const controls: PaneControls = {
      fitView: () => void flow.fitView({ ...FIT_VIEW, duration: 250 }),
      focusNode: (id: string) => {
        const node = flow.getNode(id);
        if (!node) return;
        const size = sizes.current.get(id) ?? { width: 240, height: 90 };
        void flow.setCenter(node.position.x + size.width / 2, node.position.y + size.height / 2, {
          zoom: Math.max(flow.getZoom(), 0.9),
          duration: 300,
        });
      },
      showNodes: (ids: readonly string[]) => {
        if (ids.length === 1) return controls.focusNode(ids[0]!);
        void flow.fitView({
          nodes: ids.map((id) => ({ id })),
          padding: 0.2,
          minZoom: 0.5,
          maxZoom: 1.2,
          duration: 300,
        });
      },
      center: () => {
        const box = document.querySelector(`.pane-${network} .pane-canvas`)?.getBoundingClientRect();
        return box
          ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 })
          : { x: 0, y: 0 };
      },
      autoLayout: async () => {
        const started = performance.now();
        const positions = await layoutNetwork(studio.editor.getState().doc[network], sizes.current);
        const result = studio.editor.getState().execute(moveNodes(network, positions, 'Auto-layout'));
        if (result.ok && result.changed)
          notify(
            studio.ui,
            'info',
            `Laid out the ${network} (${Math.round(performance.now() - started)} ms). Undo restores the previous layout.`,
          );
        requestAnimationFrame(() => void flow.fitView({ ...FIT_VIEW, duration: 250 }));
      },
    };
    studio.ui.setState((s) => ({ panes: { ...s.panes, [network]: controls } }));
    return () => studio.ui.setState((s) => ({ panes: { ...s.panes, [network]: undefined } }));
  }, [studio, network, flow]);
}
