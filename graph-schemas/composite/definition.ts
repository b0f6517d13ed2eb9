import { z } from 'zod';
import { GraphEdgeSchema, GraphNodeSchema } from '../document-parts';

/*
 * A composite block: a block type a user made (from a selection, or as an editable copy of a built-in), stored in
 * the document. Its inside is a subgraph whose connections from "$in" bring in its input ports and whose
 * connections into "$out" give its output ports (see subgraph.ts); its params are a few of the inner nodes'
 * params, exposed under one name with a default, so each use sets them (each use also has its own weights).
 */

const portKind = z.enum(['feature', 'vector', 'noise', 'label', 'image']);
const portName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,39}$/, 'a port name is a letter or "_" then letters, digits or "_" (at most 40)');

export const CompositeInputSchema = z.object({
  name: portName,
  accepts: z.array(portKind).min(1),
  required: z.boolean().default(true),
  description: z.string().max(500).default(''),
});

export const CompositeOutputSchema = z.object({
  name: portName,
  kind: portKind,
  description: z.string().max(500).default(''),
});

export const ExposedParamSchema = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,39}$/, 'a param name is an identifier (at most 40 characters)'),
  description: z.string().max(500).default(''),
  default: z.union([z.number(), z.string(), z.boolean()]),
  /** The inner params it sets (all of the same kind: "channels" → conv1.filters, conv2.filters, shortcut.filters). */
  targets: z.array(z.object({ node: z.string().min(1), param: z.string().min(1) })).min(1),
});

export const CompositeDefinitionSchema = z.object({
  type: z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9_]{0,59}$/,
      'a block type is a letter then letters, digits or "_" (at most 60), e.g. "AttentionResBlock"',
    ),
  title: z.string().min(1).max(200),
  description: z.string().max(5000).default(''),
  networks: z
    .array(z.enum(['generator', 'discriminator']))
    .min(1)
    .default(['generator', 'discriminator']),
  /** The built-in this started as a copy of ("Make editable copy"), for the user's information. */
  basedOn: z.string().optional(),
  inputs: z.array(CompositeInputSchema).max(16),
  outputs: z.array(CompositeOutputSchema).min(1).max(16),
  params: z.array(ExposedParamSchema).max(64).default([]),
  nodes: z.array(GraphNodeSchema).max(2000),
  edges: z.array(GraphEdgeSchema).max(8000),
});

export type CompositeDefinition = z.output<typeof CompositeDefinitionSchema>;
export type CompositeDefinitionInput = z.input<typeof CompositeDefinitionSchema>;
export type ExposedParam = z.output<typeof ExposedParamSchema>;
