import {
  Background,
  BackgroundVariant,
  ConnectionMode,
  Controls,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CompositeDefinition, NetworkName } from '../../graph-schemas';
import { compositesOf, SUBGRAPH_INPUT, SUBGRAPH_OUTPUT } from '../../graph-schemas';
import { runAction } from '../app/actions';
import { useCostBatch, useEditor, useStudio, useValidation } from '../app/studio';
import { notify } from '../app/ui-store';
import { addPortTo } from '../store/definition-edits';
import type { InsideGraph } from './block-inside-model';
import { insideGraph } from './block-inside-model';
import { BlockNode } from './BlockNode';
import { ConnectionHint } from './ConnectionHint';
import type { HandleRef } from './ConnectionHint';
import { DefinitionParams } from './DefinitionParams';
import { DefinitionPorts } from './DefinitionPorts';
import type { BlockFlowNode, ShapeFlowEdge } from './flow-model';
import { ShapeEdge } from './ShapeEdge';
import { insideRefusal, useInsideEditing } from './use-inside-editing';

const nodeTypes = { block: BlockNode };
const edgeTypes = { shape: ShapeEdge };
const proOptions = { hideAttribution: true };
const fitViewOptions = { padding: 0.15, maxZoom: 1 };
const multiSelectKeys = ['Shift', 'Control', 'Meta'];

/**
 * A residual or composite node opened (double-click or Enter): its inside over the pane, with the shapes and
 * parameter counts of this use and a breadcrumb back out (Escape). A built-in's inside is read-only; a block of
 * the document is edited here (parts added from the palette, moved, connected, deleted), and every use follows.
 */
export function BlockInsideView({
  network,
  nodeId,
  onClose,
}: {
  network: NetworkName;
  nodeId: string;
  onClose: () => void;
}) {
  const studio = useStudio();
  const doc = useEditor((s) => s.doc);
  const report = useValidation((s) => s.report);
  const batchSize = useCostBatch();
  const def = useMemo(() => {
    const type = doc[network].nodes.find((n) => n.id === nodeId)?.type;
    return type ? compositesOf(doc).get(type) : undefined;
  }, [doc, network, nodeId]);
  const graph = useMemo(
    () => (report ? insideGraph(doc, report, network, nodeId, batchSize, true) : null),
    [doc, report, network, nodeId, batchSize],
  );
  const uses = useMemo(
    () => (def ? [...doc.generator.nodes, ...doc.discriminator.nodes].filter((n) => n.type === def.type).length : 0),
    [doc, def],
  );
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  useEffect(() => {
    if (report && !graph) onClose(); // the node was removed, or is no block with an inside any more
  }, [report, graph, onClose]);
  if (!graph) return null;
  const [where, what] = graph.path;
  const addPort = (side: 'input' | 'output') => {
    if (!def) return;
    const result = studio.editor.getState().execute(addPortTo(def.type, side));
    notify(studio.ui, result.ok ? 'info' : 'warning', result.ok ? (result.note ?? 'Added.') : result.reason);
  };
  return (
    <div className="block-inside-view" data-testid="block-inside-view" role="dialog" aria-label={`Inside ${nodeId}`}>
      <nav className="breadcrumb" aria-label="Where">
        <button className="link" onClick={onClose} title="Back to the network (Escape)">
          {where}
        </button>
        <span className="muted"> › </span>
        <strong className="inside-path">{what}</strong>
        <span
          className="muted small inside-hint"
          data-testid="inside-hint"
          title={
            def
              ? 'Add parts from the palette (drag, or double-click an entry), drag from a port to another to connect, select and press Delete to remove, drag a part to move it. Every use of the block changes; Undo takes an edit back.'
              : 'The parts of a built-in block cannot be changed. "Make editable copy" turns this node into a block of this document, whose parts you can edit.'
          }
        >
          {def
            ? `· block of this document, ${uses} use${uses === 1 ? '' : 's'}: edits change every use`
            : '· read-only (built-in): make an editable copy to change its parts'}
        </span>
        <span className="spacer" />
        {def ? (
          <>
            <button className="button" onClick={() => addPort('input')} title="Add an input port to the block">
              + Input
            </button>
            <button className="button" onClick={() => addPort('output')} title="Add an output port to the block">
              + Output
            </button>
          </>
        ) : (
          <button
            className="button"
            onClick={() => {
              studio.editor.getState().select({ network, nodes: [nodeId], edges: [] });
              runAction(studio, 'edit.makeEditableCopy');
            }}
          >
            Make editable copy
          </button>
        )}
        <button className="button" onClick={onClose}>
          Back (Esc)
        </button>
      </nav>
      <ReactFlowProvider>
        <InsideCanvas network={network} nodeId={nodeId} def={def} graph={graph} />
      </ReactFlowProvider>
    </div>
  );
}

function InsideCanvas({
  network,
  nodeId,
  def,
  graph,
}: {
  network: NetworkName;
  nodeId: string;
  def: CompositeDefinition | undefined;
  graph: InsideGraph;
}) {
  const studio = useStudio();
  const flow = useReactFlow<BlockFlowNode, ShapeFlowEdge>();
  const wrapper = useRef<HTMLDivElement>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const where = useMemo(
    () => ({ network, nodeId, type: def?.type, title: graph.block.title }),
    [network, nodeId, def, graph.block.title],
  );
  const editing = useInsideEditing(where, graph, flow, wrapper);
  const refuse = useCallback(
    (from: HandleRef, to: HandleRef) => insideRefusal(studio, where, from, to),
    [studio, where],
  );
  const editable = def !== undefined;
  return (
    <div className="inside-canvas" ref={wrapper} onDragOver={editing.onDragOver} onDrop={editing.onDrop}>
      <ReactFlow<BlockFlowNode, ShapeFlowEdge>
        id={`inside-${network}`}
        nodes={editing.nodes}
        edges={editing.edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={editing.onNodesChange}
        onEdgesChange={editing.onEdgesChange}
        onConnect={editing.onConnect}
        onConnectEnd={editing.onConnectEnd}
        isValidConnection={editing.isValidConnection}
        connectionMode={ConnectionMode.Strict}
        connectionRadius={28}
        nodesDraggable={editable}
        nodesConnectable={editable}
        elementsSelectable={editable}
        multiSelectionKeyCode={multiSelectKeys}
        onNodeClick={(_e, n) => editable && setPicked(n.id)}
        onPaneClick={() => setPicked(null)}
        deleteKeyCode={null}
        fitView
        fitViewOptions={fitViewOptions}
        minZoom={0.1}
        proOptions={proOptions}
        colorMode="dark"
      >
        <Background variant={BackgroundVariant.Dots} gap={22} size={1.2} color="#2c313b" />
        <Controls position="bottom-left" showInteractive={false} />
        {editable && <ConnectionHint network={network} refuse={refuse} />}
      </ReactFlow>
      {def && picked && def.nodes.some((n) => n.id === picked) && <DefinitionParams def={def} innerId={picked} />}
      {def && (picked === SUBGRAPH_INPUT || picked === SUBGRAPH_OUTPUT) && (
        <DefinitionPorts def={def} side={picked === SUBGRAPH_INPUT ? 'input' : 'output'} />
      )}
    </div>
  );
}
