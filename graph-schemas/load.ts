import type { z } from 'zod';
import { getBlock } from './blocks';
import { GRAPH_FORMAT, GraphDocumentSchema } from './document';
import type { GraphDocument, GraphNode } from './document';
import { cloneJson, migrateDocument } from './migrations';
import { err, ok } from './result';
import type { Result } from './result';

export interface LoadIssue {
  /** Where in the file, e.g. "generator.nodes[3].id". */
  path: string;
  message: string;
}

export interface LoadError {
  message: string;
  issues: LoadIssue[];
}

export interface LoadedGraph {
  doc: GraphDocument;
  /** Migrations applied to the document and its nodes, for the user to see ("migrated from version 1"). */
  migrated: string[];
}

/** Parses a file's text; a syntax error names the line and column when the runtime reports a position. */
export function parseGraphJson(text: string, fileName = 'the file'): Result<LoadedGraph, LoadError> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(detail);
    let where = '';
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      where = ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
    }
    return err({
      message: `${fileName} is not valid JSON${where}: ${detail}. It may be damaged or not a SAGAN Studio graph.`,
      issues: [],
    });
  }
  return loadGraph(raw);
}

/** unknown → migrate → validate the document's structure. Never throws. Blocks' params are checked later by validateGraph, on the node. */
export function loadGraph(raw: unknown): Result<LoadedGraph, LoadError> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return err({ message: 'This is not a SAGAN Studio graph: expected a JSON object.', issues: [] });
  }
  const obj = raw as Record<string, unknown>;
  if (obj.format !== GRAPH_FORMAT) {
    return err({
      message: `This is not a SAGAN Studio graph: "format" should be "${GRAPH_FORMAT}" but is ${JSON.stringify(obj.format)}.`,
      issues: [{ path: 'format', message: `expected "${GRAPH_FORMAT}"` }],
    });
  }
  const migrated = migrateDocument(obj);
  if (!migrated.ok) return err({ message: migrated.message, issues: [{ path: 'version', message: migrated.message }] });
  const parsed = GraphDocumentSchema.safeParse(migrated.doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(toIssue);
    const first = issues[0];
    return err({
      message: `The graph file has ${issues.length} problem${issues.length === 1 ? '' : 's'}${first ? `; first: ${first.path || 'the document'}: ${first.message}` : ''}.`,
      issues,
    });
  }
  const notes =
    migrated.applied.length > 0
      ? [`document migrated from version ${migrated.from}: ${migrated.applied.join('; ')}`]
      : [];
  const doc = parsed.data;
  for (const net of [doc.generator, doc.discriminator]) {
    net.nodes = net.nodes.map((node) => migrateNode(node, notes));
  }
  return ok({ doc, migrated: notes });
}

/** Applies a block's param migrations to a node saved with an older block version. */
function migrateNode(node: GraphNode, notes: string[]): GraphNode {
  const block = getBlock(node.type);
  if (!block || node.version >= block.version) return node;
  let params = node.params;
  for (let v = node.version; v < block.version; v++) {
    const step = block.migrations.find((m) => m.from === v);
    if (!step) break;
    params = step.migrate(cloneJson(params));
    notes.push(`${node.id} (${node.type}) params migrated from version ${v}: ${step.description}`);
  }
  return { ...node, params, version: block.version };
}

function toIssue(issue: z.core.$ZodIssue): LoadIssue {
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
  return { path, message: issue.message };
}
