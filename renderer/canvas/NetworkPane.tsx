import {
  Background,
  BackgroundVariant,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import type { Connection, EdgeChange, NodeChange, OnConnectEnd } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { NetworkName } from '../../graph-schemas';
import { checkConnection, documentBlock } from '../../graph-schemas';
import { useCostBatch, useEditor, useStudio, useUi, useValidation } from '../app/studio';
import { notify } from '../app/ui-store';
import { connect } from '../store/graph-edits';
import { indexReport } from '../validation/report-index';
import { BlockInsideView } from './BlockInsideView';
import { BlockNode } from './BlockNode';
import { ConnectionHint, refusalReason } from './ConnectionHint';
import type { BlockFlowNode, ShapeFlowEdge, Size, XY } from './flow-model';
import { FlowModel } from './flow-model';
import { labelWires } from './label-wires';
import { FIT_VIEW, zoomBand } from './lod';
import { PaneHeader } from './PaneHeader';
import { ShapeEdge } from './ShapeEdge';
import { usePaneControls } from './use-pane-controls';
import { usePaneDrop } from './use-pane-drop';
import { useSelectionChanges } from './use-selection-changes';

/** Defined once, outside any component, so React Flow never re-creates node and edge renderers. */
const nodeTypes = { block: BlockNode };
const edgeTypes = { shape: ShapeEdge };
const proOptions = { hideAttribution: true };
const fitViewOptions = FIT_VIEW;
const multiSelectKeys = ['Shift', 'Control', 'Meta'];
const minimapStyle = { width: 150, height: 100 };
const FAR_ZOOM = 0.35;
/** Below this pane size the minimap (150×100) would cover too much of the graph. */
const MINIMAP_MIN = { width: 480, height: 330 };

export function NetworkPane({ network }: { network: NetworkName }) {
  return (
    <ReactFlowProvider>
      <Pane network={network} />
    </ReactFlowProvider>
  );
}

function Pane({ network }: { network: NetworkName }) {
  const studio = useStudio();
  const flow = useReactFlow<BlockFlowNode, ShapeFlowEdge>();
  const net = useEditor((s) => s.doc[network]);
  const batchSize = useCostBatch();
  const selection = useEditor((s) => s.selection);
  const report = useValidation((s) => s.report);
  const showMinimap = useUi((s) => s.showMinimap);
  const active = useUi((s) => s.activeNetwork === network);
  const index = useMemo(() => (report ? indexReport(report) : undefined), [report]);
  const wrapper = useRef<HTMLDivElement>(null);
  const [model] = useState(() => new FlowModel());
  const blocks = useEditor((s) => s.doc.blocks);
  // The residual or composite node whose inside is open over the pane (double-click or Enter), if any.
  const [opened, setOpened] = useState<string | null>(null);
  const closeOpened = useCallback(() => setOpened(null), []);
  const openBlock = useCallback(
    (id: string) => {
      const node = studio.editor.getState().doc[network].nodes.find((n) => n.id === id);
      const block = node && documentBlock(studio.editor.getState().doc, node.type);
      if (block?.inside || block?.composite) setOpened(id);
    },
    [studio, network],
  );
  // Node sizes React Flow measured; a new map when one changes, so what depends on sizes follows.
  const [measured, setMeasured] = useState<ReadonlyMap<string, Size>>(() => new Map());
  const [dragging, setDragging] = useState<ReadonlyMap<string, XY>>(new Map());
  const drop = usePaneDrop(network, wrapper, flow);
  const spliceTarget = drop.spliceTarget;
  // Zoomed far out, card details are too small to read: they are not painted (their space is kept), which keeps big graphs smooth.
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);
  // Zoomed out, cards are compact and shape labels are not painted (one step per zoom band, not per zoom tick).
  const band = useStore((s) => zoomBand(s.transform[2]));
  const showLabelPins = useUi((s) => s.labelPins);
  // A small pane (laptop window, training view open) is mostly minimap: it hides itself there; View → Minimap turns it off everywhere.
  const small = useStore((s) => s.width > 0 && (s.width < MINIMAP_MIN.width || s.height < MINIMAP_MIN.height));
  const minimap = !showMinimap ? 'off' : small ? 'hidden-small' : 'shown';

  const selectedNodes = useMemo(
    () => new Set(selection.network === network ? selection.nodes : []),
    [selection, network],
  );
  const selectedEdges = useMemo(
    () => new Set(selection.network === network ? selection.edges : []),
    [selection, network],
  );
  const labelPins = useMemo(
    () => (showLabelPins ? labelWires(network, net, index, blocks) : undefined),
    [showLabelPins, network, net, index, blocks],
  );
  const nodes = useMemo(
    () => model.nodes({ network, net, batchSize, index, selectedNodes, measured, dragging, blocks, labelPins }),
    [model, network, net, batchSize, index, selectedNodes, measured, dragging, blocks, labelPins],
  );
  const edges = useMemo(
    () => model.edges({ network, net, index, selectedEdges, spliceTarget, blocks, labelPins }),
    [model, network, net, index, selectedEdges, spliceTarget, blocks, labelPins],
  );

  const { applyNodeSelection, applyEdgeSelection } = useSelectionChanges(network);
  const onNodesChange = useCallback(
    (changes: NodeChange<BlockFlowNode>[]) => {
      const sizes = new Map<string, Size>();
      const moving = new Map<string, XY>();
      const moved: Record<string, XY> = {};
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions) sizes.set(c.id, c.dimensions);
        else if (c.type === 'position' && c.position) {
          if (c.dragging) moving.set(c.id, c.position);
          else moved[c.id] = c.position;
        }
      }
      if (sizes.size) setMeasured((prev) => withSizes(prev, sizes));
      if (moving.size) setDragging((d) => new Map([...d, ...moving]));
      if (Object.keys(moved).length) {
        // The end of a drag (or a keyboard nudge): one undoable move.
        drop.commitMove(moved);
        setDragging(new Map());
      }
      applyNodeSelection(changes);
    },
    [applyNodeSelection, drop],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<ShapeFlowEdge>[]) => applyEdgeSelection(changes),
    [applyEdgeSelection],
  );

  const isValidConnection = useCallback(
    (c: Connection | ShapeFlowEdge) =>
      checkConnection(
        studio.editor.getState().doc,
        network,
        { source: c.source, sourcePort: c.sourceHandle ?? 'out', target: c.target, targetPort: c.targetHandle ?? 'in' },
        studio.validation.getState().report ?? undefined,
      ).ok,
    [studio, network],
  );
  const onConnect = useCallback(
    (c: Connection) => {
      const result = studio.editor.getState().execute(
        connect(
          network,
          {
            source: c.source,
            sourcePort: c.sourceHandle ?? 'out',
            target: c.target,
            targetPort: c.targetHandle ?? 'in',
          },
          studio.validation.getState().report ?? undefined,
        ),
      );
      if (!result.ok) notify(studio.ui, 'warning', `Not connected: ${result.reason}`);
    },
    [studio, network],
  );
  const onConnectEnd: OnConnectEnd = useCallback(
    (_event, state) => {
      if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
      const reason = refusalReason(studio, network, state.fromHandle, state.toHandle);
      if (reason) notify(studio.ui, 'warning', `Not connected: ${reason}`);
    },
    [studio, network],
  );

  usePaneControls(network, flow, measured);
  useEffect(
    // Showing one network or both changes the pane's size: show the whole network again.
    () =>
      studio.ui.subscribe(
        (s, p) => s.view !== p.view && requestAnimationFrame(() => void flow.fitView(fitViewOptions)),
      ),
    [studio, flow],
  );
  useEffect(() => {
    // A document loaded (history empty): show all of it.
    return studio.editor.subscribe((s, p) => {
      if (s.doc !== p.doc && s.past.length === 0 && s.future.length === 0) {
        setMeasured(new Map());
        requestAnimationFrame(() => requestAnimationFrame(() => void flow.fitView(fitViewOptions)));
      }
    });
  }, [studio, flow]);

  return (
    <section
      className={`pane pane-${network}${active ? ' active' : ''}`}
      data-network={network}
      onPointerDownCapture={() =>
        studio.ui.getState().activeNetwork !== network && studio.ui.setState({ activeNetwork: network })
      }
    >
      <PaneHeader network={network} />
      <div
        className={`pane-canvas${band >= 0 ? ' lod-compact' : ''}${far ? ' lod-far' : ''}`}
        data-lod-band={band}
        ref={wrapper}
        data-minimap={minimap}
        onDragOver={drop.onDragOver}
        onDragLeave={drop.onDragLeave}
        onDrop={drop.onDrop}
        onKeyDown={(e) => {
          if (e.key !== 'Enter' || (e.target as HTMLElement).closest('input, textarea, select, button')) return;
          if (selection.network === network && selection.nodes.length === 1) openBlock(selection.nodes[0]!);
        }}
      >
        <ReactFlow<BlockFlowNode, ShapeFlowEdge>
          id={`flow-${network}`}
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          onNodeDoubleClick={(_e, n) => openBlock(n.id)}
          onNodeDrag={drop.onNodeDrag}
          onNodeDragStop={drop.onNodeDragStop}
          connectionMode={ConnectionMode.Strict}
          connectionRadius={28}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={multiSelectKeys}
          fitView
          fitViewOptions={fitViewOptions}
          minZoom={0.05}
          maxZoom={2.5}
          proOptions={proOptions}
          colorMode="dark"
          onlyRenderVisibleElements={nodes.length > 150}
        >
          <Background variant={BackgroundVariant.Dots} gap={22} size={1.2} color="#2c313b" />
          <Controls position="bottom-left" showInteractive={false} />
          {minimap === 'shown' && (
            <MiniMap
              position="bottom-right"
              pannable
              zoomable
              nodeColor={minimapColor}
              maskColor="rgba(10, 12, 16, 0.65)"
              style={minimapStyle}
            />
          )}
          <ConnectionHint network={network} />
        </ReactFlow>
        {opened && <BlockInsideView network={network} nodeId={opened} onClose={closeOpened} />}
        {net.nodes.length === 0 && (
          <div className="pane-empty">
            <strong>The {network} is empty.</strong>
            <span>Drag blocks here from the palette, or start from a preset (File → New from preset).</span>
          </div>
        )}
      </div>
    </section>
  );
}

/** The measured sizes with these changes; the same map when none differs. */
function withSizes(prev: ReadonlyMap<string, Size>, sizes: ReadonlyMap<string, Size>): ReadonlyMap<string, Size> {
  let next: Map<string, Size> | null = null;
  for (const [id, size] of sizes) {
    const old = prev.get(id);
    if (old && old.width === size.width && old.height === size.height) continue;
    next ??= new Map(prev);
    next.set(id, { width: size.width, height: size.height });
  }
  return next ?? prev;
}

function minimapColor(node: BlockFlowNode): string {
  if (node.data.errors.length) return '#e5484d';
  return 'var(--minimap-node)';
}
