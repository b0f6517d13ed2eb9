import { applyEdgeChanges, applyNodeChanges } from '@xyflow/react';
import type { Connection, EdgeChange, NodeChange, OnConnectEnd, ReactFlowInstance } from '@xyflow/react';
import type { DragEvent as ReactDragEvent, RefObject } from 'react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ConnectionRequest, NetworkName } from '../../graph-schemas';
import { checkPartConnection, documentBlock, isBoundary } from '../../graph-schemas';
import type { Studio } from '../app/studio';
import { useStudio } from '../app/studio';
import { notify } from '../app/ui-store';
import { addPartTo, connectPartsOf, insertPartInto, movePartsOf, removePartsOf } from '../store/definition-edits';
import { DEFAULT_NODE_SIZE } from './auto-layout';
import type { InsideGraph } from './block-inside-model';
import { knownOutputs } from './block-inside-model';
import type { HandleRef } from './ConnectionHint';
import { edgeAt } from './edge-hit';
import type { BlockFlowNode, ShapeFlowEdge } from './flow-model';
import { BLOCK_MIME } from './use-pane-drop';

interface Where {
  network: NetworkName;
  /** The opened node (a use of the block). */
  nodeId: string;
  /** The composite type whose definition is edited; undefined for a built-in's inside (read-only). */
  type: string | undefined;
  /** The built-in's title, for the read-only hint. */
  title: string;
}

/** Why a block's inside refuses edits: built-ins are read-only until copied. */
export const readOnlyHint = (title: string) =>
  `${title} is a built-in block: its parts are read-only. Use "Make editable copy" to change them (this node becomes a block of this document).`;

/** Why a connection inside a definition is refused, or undefined when it is allowed. */
export function insideRefusal(studio: Studio, where: Where, from: HandleRef, to: HandleRef): string | undefined {
  if (!where.type) return readOnlyHint(where.title);
  if (from.type === to.type)
    return `Connect an output to an input (both of these are ${from.type === 'source' ? 'outputs' : 'inputs'}).`;
  const [src, dst] = from.type === 'source' ? [from, to] : [to, from];
  const verdict = checkPartConnection(
    studio.editor.getState().doc,
    where.type,
    request(src, dst),
    known(studio, where),
  );
  return verdict.ok ? undefined : verdict.reason;
}

const request = (src: HandleRef, dst: HandleRef): ConnectionRequest => ({
  source: src.nodeId,
  sourcePort: src.id ?? 'out',
  target: dst.nodeId,
  targetPort: dst.id ?? 'in',
});

function known(studio: Studio, where: Where) {
  const report = studio.validation.getState().report;
  return report ? knownOutputs(report, where.network, where.nodeId) : undefined;
}

/**
 * Editing a composite's definition on the canvas of its opened use: moving parts (one undoable move at the end of
 * a drag), selecting and deleting them (Delete, via the app's action), connecting ports (the canvas's rules),
 * dropping or adding blocks from the palette. Every change goes to the definition, so every use follows.
 */
export function useInsideEditing(
  where: Where,
  graph: InsideGraph,
  flow: ReactFlowInstance<BlockFlowNode, ShapeFlowEdge>,
  wrapper: RefObject<HTMLDivElement | null>,
) {
  const studio = useStudio();
  const [nodes, setNodes] = useState<BlockFlowNode[]>(graph.nodes);
  const [edges, setEdges] = useState<ShapeFlowEdge[]>(graph.edges);
  // A new graph (an edit, undo, validation): keep what the canvas knows of each node (selection, measured size).
  const [shown, setShown] = useState(graph);
  // A part just added from the palette: selected once it shows (after validation).
  const [toSelect, setToSelect] = useState<string | null>(null);
  if (shown !== graph) {
    setShown(graph);
    const pick = toSelect && graph.nodes.some((n) => n.id === toSelect) ? toSelect : null;
    if (pick) setToSelect(null);
    setNodes(carried(nodes, graph.nodes, pick));
    const selected = new Set(edges.filter((e) => e.selected).map((e) => e.id));
    setEdges(graph.edges.map((e) => (selected.has(e.id) ? { ...e, selected: true } : e)));
  }
  const current = useRef({ nodes, edges });
  const whereRef = useRef(where);
  useLayoutEffect(() => {
    current.current = { nodes, edges };
    whereRef.current = where;
  });

  const onNodesChange = useCallback(
    (changes: NodeChange<BlockFlowNode>[]) => {
      setNodes((ns) => applyNodeChanges(changes, ns));
      const moved: Record<string, { x: number; y: number }> = {};
      for (const c of changes)
        if (c.type === 'position' && c.position && !c.dragging && !isBoundary(c.id)) moved[c.id] = c.position;
      const type = whereRef.current.type;
      if (type && Object.keys(moved).length) studio.editor.getState().execute(movePartsOf(type, moved));
    },
    [studio],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<ShapeFlowEdge>[]) => setEdges((es) => applyEdgeChanges(changes, es)),
    [],
  );

  const isValidConnection = useCallback(
    (c: Connection | ShapeFlowEdge) => {
      const type = whereRef.current.type;
      if (!type) return false;
      const req = {
        source: c.source,
        sourcePort: c.sourceHandle ?? 'out',
        target: c.target,
        targetPort: c.targetHandle ?? 'in',
      };
      return checkPartConnection(studio.editor.getState().doc, type, req, known(studio, whereRef.current)).ok;
    },
    [studio],
  );
  const onConnect = useCallback(
    (c: Connection) => {
      const type = whereRef.current.type;
      if (!type) return;
      const req = {
        source: c.source,
        sourcePort: c.sourceHandle ?? 'out',
        target: c.target,
        targetPort: c.targetHandle ?? 'in',
      };
      const result = studio.editor.getState().execute(connectPartsOf(type, req, known(studio, whereRef.current)));
      if (!result.ok) notify(studio.ui, 'warning', `Not connected: ${result.reason}`);
    },
    [studio],
  );
  const onConnectEnd: OnConnectEnd = useCallback(
    (_event, state) => {
      if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
      const reason = insideRefusal(studio, whereRef.current, state.fromHandle, state.toHandle);
      if (reason) notify(studio.ui, 'warning', `Not connected: ${reason}`);
    },
    [studio],
  );

  const addPart = useCallback(
    (blockType: string, at?: { x: number; y: number }, into?: string) => {
      const { type, title } = whereRef.current;
      if (!type) return notify(studio.ui, 'info', readOnlyHint(title));
      const box = wrapper.current?.getBoundingClientRect();
      const center = at ?? (box ? { x: box.left + box.width / 2, y: box.top + box.height / 2 } : { x: 0, y: 0 });
      const p = flow.screenToFlowPosition(center);
      const position = { x: p.x - DEFAULT_NODE_SIZE.width / 2, y: p.y - 24 };
      if (into) {
        // Dropped on a wire: inserted into it, as on the network's canvas; refused, it is added unconnected.
        const insert = insertPartInto(type, blockType, into, position, known(studio, whereRef.current));
        const inserted = studio.editor.getState().execute(insert);
        if (inserted.ok) {
          if (insert.added) setToSelect(insert.added);
          return inserted.note && notify(studio.ui, 'success', inserted.note);
        }
        notify(studio.ui, 'warning', `${inserted.reason} Added it unconnected instead.`);
      }
      const command = addPartTo(type, blockType, position);
      const result = studio.editor.getState().execute(command);
      if (!result.ok) {
        const name = documentBlock(studio.editor.getState().doc, blockType)?.title ?? blockType;
        return notify(studio.ui, 'warning', `Cannot add ${name} here: ${result.reason}`);
      }
      // Selected (not opened in the params panel, which would cover it): click it to set its params.
      if (command.added) setToSelect(command.added);
    },
    [studio, flow, wrapper],
  );

  const deleteSelected = useCallback(() => {
    const { type, title } = whereRef.current;
    const nodeIds = current.current.nodes.filter((n) => n.selected && !isBoundary(n.id)).map((n) => n.id);
    const edgeIds = current.current.edges.filter((e) => e.selected).map((e) => e.id);
    if (!nodeIds.length && !edgeIds.length) return;
    if (!type) return notify(studio.ui, 'info', readOnlyHint(title));
    const result = studio.editor.getState().execute(removePartsOf(type, nodeIds, edgeIds));
    if (!result.ok) notify(studio.ui, 'warning', result.reason);
    else if (result.note) notify(studio.ui, 'info', result.note);
  }, [studio]);

  // While open, the palette adds here and Delete deletes here.
  useEffect(() => {
    const controls = {
      network: where.network,
      nodeId: where.nodeId,
      ...(where.type ? { type: where.type } : {}),
      addPart: (blockType: string) => addPart(blockType),
      deleteSelected,
    };
    studio.ui.setState({ inside: controls });
    return () => {
      if (studio.ui.getState().inside === controls) studio.ui.setState({ inside: null });
    };
  }, [studio, where.network, where.nodeId, where.type, addPart, deleteSelected]);

  const onDragOver = useCallback((e: ReactDragEvent) => {
    if (!e.dataTransfer.types.includes(BLOCK_MIME)) return;
    e.preventDefault();
    e.stopPropagation(); // not the network pane's drop under it
    e.dataTransfer.dropEffect = whereRef.current.type ? 'copy' : 'none';
  }, []);
  const onDrop = useCallback(
    (e: ReactDragEvent) => {
      const blockType = e.dataTransfer.getData(BLOCK_MIME);
      if (!blockType) return;
      e.preventDefault();
      e.stopPropagation();
      addPart(blockType, { x: e.clientX, y: e.clientY }, edgeAt(wrapper.current, e.clientX, e.clientY));
    },
    [addPart, wrapper],
  );

  return useMemo(
    () => ({
      nodes,
      edges,
      onNodesChange,
      onEdgesChange,
      isValidConnection,
      onConnect,
      onConnectEnd,
      onDragOver,
      onDrop,
    }),
    [nodes, edges, onNodesChange, onEdgesChange, isValidConnection, onConnect, onConnectEnd, onDragOver, onDrop],
  );
}

/** The new graph's nodes with the selection and measured sizes the canvas had for them. */
function carried(prev: readonly BlockFlowNode[], next: readonly BlockFlowNode[], pick: string | null): BlockFlowNode[] {
  const old = new Map(prev.map((n) => [n.id, n]));
  return next.map((n) => {
    if (pick)
      return {
        ...n,
        selected: n.id === pick,
        ...(old.get(n.id)?.measured ? { measured: old.get(n.id)!.measured } : {}),
      };
    const was = old.get(n.id);
    return was ? { ...n, selected: was.selected ?? false, ...(was.measured ? { measured: was.measured } : {}) } : n;
  });
}
