import type { GraphNode, NetworkName } from '../../graph-schemas';
import { documentBlock, formatShape } from '../../graph-schemas';
import { action, runAction } from '../app/actions';
import { formatShortcut } from '../app/shortcuts';
import { useCostBatch, useEditor, useStudio, useValidation } from '../app/studio';
import { costText, formatCount } from '../canvas/node-view';
import { findEdge, findNode } from '../store/doc-utils';
import { setNodeLabel, setParam } from '../store/graph-edits';
import { indexReport } from '../validation/report-index';
import { BlockInside } from './BlockInside';
import { FieldInput } from './FieldInput';
import { checkWithSchema, fieldsOf } from './schema-fields';

/** The selected node's params (from its schema), shapes and problems; or the selected connection. */
export function Inspector() {
  const selection = useEditor((s) => s.selection);
  const doc = useEditor((s) => s.doc);
  const batchSize = useCostBatch();
  const { network, nodes, edges } = selection;
  if (nodes.length === 1 && edges.length === 0) {
    const node = findNode(doc, network, nodes[0]!);
    if (node)
      return <NodeInspector key={`${network}:${node.id}`} network={network} node={node} batchSize={batchSize} />;
  }
  if (nodes.length === 0 && edges.length === 1) return <EdgeInspector network={network} edgeId={edges[0]!} />;
  if (nodes.length + edges.length > 1) return <MultiInspector count={nodes.length} edges={edges.length} />;
  return (
    <div className="panel-empty">
      <p>Select a block to edit its parameters.</p>
      <p className="muted">
        Drag blocks from the palette onto a canvas, or onto a connection to insert them there. Drag from an output port
        to an input port to connect.
      </p>
    </div>
  );
}

function NodeInspector({ network, node, batchSize }: { network: NetworkName; node: GraphNode; batchSize: number }) {
  const studio = useStudio();
  const report = useValidation((s) => s.report);
  const blocks = useEditor((s) => s.doc.blocks);
  const block = documentBlock({ blocks }, node.type);
  const nodeReport = report ? indexReport(report).node(network, node.id) : undefined;
  const problems = report ? indexReport(report).problemsOf(network, node.id) : [];
  if (!block) {
    return (
      <div className="inspector">
        <h3>Unknown block “{node.type}”</h3>
        <p className="field-error">
          This file names a block this version of SAGAN Studio does not know. Remove the node, or open the file in a
          newer version.
        </p>
      </div>
    );
  }
  const commitParam = (key: string) => (value: unknown) => {
    const checked = checkWithSchema(block.params, { ...node.params, [key]: value }, key);
    if (!checked.ok) return checked.reason;
    const result = studio.editor.getState().execute(setParam(network, node.id, key, value));
    return result.ok ? undefined : result.reason;
  };
  const fields = fieldsOf(block.params);
  return (
    <div className="inspector" data-testid="inspector">
      <div className="inspector-head">
        <span className={`cat-dot cat-${block.category.toLowerCase()}`} />
        <h3>{block.title}</h3>
        <span className="muted">
          {network === 'generator' ? 'G' : 'D'} · {block.category}
        </span>
      </div>
      <p className="block-description">{block.description}</p>
      <div className="field">
        <label>Node id</label>
        <code className="readonly">{node.id}</code>
      </div>
      <FieldInput
        field={{
          kind: 'text',
          key: 'label',
          maxLength: 200,
          required: false,
          help: 'A name shown on the card instead of the id (optional).',
        }}
        label="Label"
        value={node.label ?? ''}
        testId="node"
        onCommit={(v) => {
          studio.editor.getState().execute(setNodeLabel(network, node.id, String(v)));
          return undefined;
        }}
      />
      <h4>Parameters</h4>
      {fields.length === 0 && <p className="muted">This block has no parameters.</p>}
      {fields.map((f) => (
        <FieldInput
          key={f.key}
          field={f}
          value={node.params[f.key] ?? ('default' in f ? f.default : undefined)}
          onCommit={commitParam(f.key)}
          testId="param"
        />
      ))}
      <h4>Shapes</h4>
      <dl className="facts">
        {block.inputs.map((p) => (
          <FactRow
            key={`in-${p.name}`}
            term={`in: ${p.name}`}
            value={nodeReport?.inputs[p.name] ? formatShape(nodeReport.inputs[p.name]!) : 'not connected'}
          />
        ))}
        {block.outputs.map((p) => (
          <FactRow
            key={`out-${p.name}`}
            term={`out: ${p.name}`}
            value={nodeReport?.outputs[p.name] ? formatShape(nodeReport.outputs[p.name]!) : 'unknown'}
          />
        ))}
        {nodeReport?.resolution && <FactRow term="resolution" value={nodeReport.resolution} />}
        <FactRow
          term="parameters"
          value={nodeReport ? formatCount(nodeReport.params) : '…'}
          testId="inspector-params"
        />
        {nodeReport?.cost && (
          <FactRow term="memory" value={costText(nodeReport.cost.what, nodeReport.cost.bytesPerSample, batchSize)} />
        )}
      </dl>
      <BlockInside network={network} node={node} block={block} />
      {node.type === 'SelfAttention' && (
        <button
          className="button"
          data-testid="compare-placements"
          title="Train this graph with the attention moved to each chosen feature map and compare FD, KID and accuracy"
          onClick={() => studio.training.store.setState({ dialog: { kind: 'sweep', network, nodeId: node.id } })}
        >
          Compare attention placements…
        </button>
      )}
      {problems.length > 0 && (
        <>
          <h4>Problems</h4>
          <ul className="problem-list compact">
            {problems.map((p, i) => (
              <li key={i} className={`problem problem-${p.severity}`}>
                {p.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function FactRow({ term, value, testId }: { term: string; value: string; testId?: string }) {
  return (
    <>
      <dt>{term}</dt>
      <dd data-testid={testId}>{value}</dd>
    </>
  );
}

function EdgeInspector({ network, edgeId }: { network: NetworkName; edgeId: string }) {
  const studio = useStudio();
  const edge = useEditor((s) => findEdge(s.doc, network, edgeId));
  const report = useValidation((s) => s.report);
  if (!edge) return null;
  const value = report ? indexReport(report).edge(network, edgeId)?.value : undefined;
  const del = action('edit.delete');
  return (
    <div className="inspector">
      <div className="inspector-head">
        <h3>Connection</h3>
      </div>
      <dl className="facts">
        <FactRow term="from" value={`${edge.source}.${edge.sourcePort}`} />
        <FactRow term="to" value={`${edge.target}.${edge.targetPort}`} />
        <FactRow term="tensor" value={value ? formatShape(value) : 'unknown'} />
      </dl>
      <button className="button danger" onClick={() => runAction(studio, del.id)}>
        Delete connection ({formatShortcut(del.shortcuts[0]!)})
      </button>
    </div>
  );
}

function MultiInspector({ count, edges }: { count: number; edges: number }) {
  const studio = useStudio();
  const buttons = ['edit.duplicate', 'edit.copy', 'edit.groupIntoBlock', 'edit.delete'].map(action);
  return (
    <div className="inspector">
      <h3>
        {count} block{count === 1 ? '' : 's'}
        {edges ? ` and ${edges} connection${edges === 1 ? '' : 's'}` : ''} selected
      </h3>
      <div className="button-row">
        {buttons.map((a) => (
          <button
            key={a.id}
            className={`button${a.id === 'edit.delete' ? ' danger' : ''}`}
            onClick={() => runAction(studio, a.id)}
            disabled={a.enabled ? !a.enabled(studio) : false}
          >
            {a.label} <kbd>{formatShortcut(a.shortcuts[0]!)}</kbd>
          </button>
        ))}
      </div>
    </div>
  );
}
