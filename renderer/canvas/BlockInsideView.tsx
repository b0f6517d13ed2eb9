import { Background, BackgroundVariant, Controls, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import type { NetworkName } from '../../graph-schemas';
import { compositesOf } from '../../graph-schemas';
import { runAction } from '../app/actions';
import { useCostBatch, useEditor, useStudio, useValidation } from '../app/studio';
import { BlockNode } from './BlockNode';
import { DefinitionParams } from './DefinitionParams';
import { insideGraph } from './block-inside-model';
import { ShapeEdge } from './ShapeEdge';

const nodeTypes = { block: BlockNode };
const edgeTypes = { shape: ShapeEdge };
const proOptions = { hideAttribution: true };
const fitViewOptions = { padding: 0.15, maxZoom: 1 };

/**
 * A residual or composite node opened (double-click or Enter): its inside, read-only, over the pane, with the
 * shapes and parameter counts of this use and a breadcrumb back out (Escape).
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
  const graph = useMemo(
    () => (report ? insideGraph(doc, report, network, nodeId, batchSize) : null),
    [doc, report, network, nodeId, batchSize],
  );
  const def = useMemo(() => {
    const type = doc[network].nodes.find((n) => n.id === nodeId)?.type;
    return type ? compositesOf(doc).get(type) : undefined;
  }, [doc, network, nodeId]);
  const [picked, setPicked] = useState<string | null>(null);
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
  return (
    <div className="block-inside-view" data-testid="block-inside-view" role="dialog" aria-label={`Inside ${nodeId}`}>
      <nav className="breadcrumb" aria-label="Where">
        <button className="link" onClick={onClose} title="Back to the network (Escape)">
          {where}
        </button>
        <span className="muted"> › </span>
        <strong>{what}</strong>
        <span className="muted small">
          {' '}
          {graph.block.composite
            ? ' · a block of this document: click a part to edit it (every use changes)'
            : ' · read-only (built-in)'}
        </span>
        <span className="spacer" />
        {!graph.block.composite && (
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
        <ReactFlow
          id={`inside-${network}`}
          nodes={graph.nodes}
          edges={graph.edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={def !== undefined}
          onNodeClick={(_e, n) => def && setPicked(n.id.startsWith('$') ? null : n.id)}
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
        </ReactFlow>
      </ReactFlowProvider>
      {def && picked && <DefinitionParams def={def} innerId={picked} />}
    </div>
  );
}
