import type { ReactFlowInstance } from '@xyflow/react';
import type { DragEvent as ReactDragEvent, RefObject } from 'react';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { NetworkName } from '../../graph-schemas';
import { documentBlock } from '../../graph-schemas';
import type { Studio } from '../app/studio';
import { useStudio } from '../app/studio';
import { notify } from '../app/ui-store';
import { addNode, moveNodes } from '../store/graph-edits';
import { spliceExistingNode, spliceNewNode } from '../store/splice';
import { DEFAULT_NODE_SIZE } from './auto-layout';
import { edgeAt } from './edge-hit';
import type { BlockFlowNode, ShapeFlowEdge, XY } from './flow-model';

/** The drag-and-drop data type of a palette block; its value is the block type. */
export const BLOCK_MIME = 'application/x-sagan-block';

/**
 * Dropping blocks from the palette (onto the canvas, or onto a connection to insert them), and dropping
 * an unconnected node onto a connection. The connection under the pointer is highlighted while dragging.
 */
export function usePaneDrop(
  network: NetworkName,
  wrapper: RefObject<HTMLDivElement | null>,
  flow: ReactFlowInstance<BlockFlowNode, ShapeFlowEdge>,
) {
  const studio = useStudio();
  const [spliceTarget, setSpliceTarget] = useState<string | undefined>();
  const lastHit = useRef<string | undefined>(undefined);
  const track = useCallback((id: string | undefined) => {
    if (lastHit.current === id) return;
    lastHit.current = id;
    setSpliceTarget(id);
  }, []);

  const onDragOver = useCallback(
    (e: ReactDragEvent) => {
      if (!e.dataTransfer.types.includes(BLOCK_MIME)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      track(edgeAt(wrapper.current, e.clientX, e.clientY));
    },
    [track, wrapper],
  );

  const onDragLeave = useCallback(
    (e: ReactDragEvent) => {
      if (!wrapper.current?.contains(e.relatedTarget as Node | null)) track(undefined);
    },
    [track, wrapper],
  );

  const onDrop = useCallback(
    (e: ReactDragEvent) => {
      const type = e.dataTransfer.getData(BLOCK_MIME);
      track(undefined);
      if (!type) return;
      e.preventDefault();
      const block = documentBlock(studio.editor.getState().doc, type);
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const position = { x: at.x - DEFAULT_NODE_SIZE.width / 2, y: at.y - 24 };
      const edge = edgeAt(wrapper.current, e.clientX, e.clientY);
      if (edge) {
        const result = studio.editor
          .getState()
          .execute(spliceNewNode(network, edge, type, position, currentReport(studio)));
        if (result.ok) return result.note && notify(studio.ui, 'success', result.note);
        notify(studio.ui, 'warning', `${result.reason} Added it unconnected instead.`);
      }
      const added = studio.editor.getState().execute(addNode(network, type, position));
      if (!added.ok) notify(studio.ui, 'warning', `Cannot add ${block?.title ?? type}: ${added.reason}`);
    },
    [flow, network, studio, track, wrapper],
  );

  const draggedAlone = useRef<string | undefined>(undefined);
  const onNodeDrag = useCallback(
    (e: MouseEvent | TouchEvent, node: BlockFlowNode, nodes: BlockFlowNode[]) => {
      const p = pointOf(e);
      const alone =
        nodes.length === 1 &&
        !studio.editor.getState().doc[network].edges.some((ed) => ed.source === node.id || ed.target === node.id);
      draggedAlone.current = alone ? node.id : undefined;
      track(alone && p ? edgeAt(wrapper.current, p.clientX, p.clientY, node.id) : undefined);
    },
    [network, studio, track, wrapper],
  );

  const onNodeDragStop = useCallback(
    (e: MouseEvent | TouchEvent, node: BlockFlowNode) => {
      const p = pointOf(e);
      const edge =
        draggedAlone.current === node.id && p ? edgeAt(wrapper.current, p.clientX, p.clientY, node.id) : undefined;
      draggedAlone.current = undefined;
      track(undefined);
      if (!edge) return;
      // The move was committed first; the insertion is its own undo step.
      const result = studio.editor
        .getState()
        .execute(spliceExistingNode(network, edge, node.id, currentReport(studio)));
      notify(studio.ui, result.ok ? 'success' : 'warning', result.ok ? (result.note ?? 'Inserted.') : result.reason);
    },
    [network, studio, track, wrapper],
  );

  const commitMove = useCallback(
    (positions: Record<string, XY>) => studio.editor.getState().execute(moveNodes(network, positions)),
    [network, studio],
  );

  return useMemo(
    () => ({ spliceTarget, onDragOver, onDragLeave, onDrop, onNodeDrag, onNodeDragStop, commitMove }),
    [spliceTarget, onDragOver, onDragLeave, onDrop, onNodeDrag, onNodeDragStop, commitMove],
  );
}

const currentReport = (studio: Studio) => studio.validation.getState().report ?? undefined;

function pointOf(e: MouseEvent | TouchEvent): { clientX: number; clientY: number } | undefined {
  return 'changedTouches' in e ? e.changedTouches[0] : e;
}
