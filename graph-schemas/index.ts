export * from './result';
export * from './ports';
export * from './block';
export * from './document';
export * from './migrations';
export * from './load';
export * from './validate';
export * from './connections';
export * from './attention-memory';
export * from './attention-placement';
export { SUBGRAPH_INPUT, SUBGRAPH_OUTPUT, inline, innerId } from './composite/subgraph';
export type { Subgraph } from './composite/subgraph';
export { CompositeDefinitionSchema } from './composite/definition';
export { expandComposites } from './composite/expand';
export { compositesOf } from './composite/resolve';
export { editableCopy, freeTypeName, makeEditableCopy } from './composite/copy';
export { groupIntoBlock } from './composite/group';
export type { GroupOutcome } from './composite/group';
export { definitionsUsed, mergeDefinitions, sameDefinition } from './composite/merge';
export type { MergeOutcome } from './composite/merge';
export {
  CHANNEL_PARAMS,
  checkInnerParam,
  exposedParams,
  exposeParam,
  paramChoices,
  unexposeParam,
} from './composite/expose';
export type { ParamChoice } from './composite/expose';
export { attentionKeysPooled, blockCatalog, blockTypes, configuredBlock, getBlock, isCatalogBlockType } from './blocks';
export type { BlockOf, CatalogBlock, CatalogBlockType, CatalogParamName, ConfiguredBlock, ParamsOf } from './blocks';
export { presets, findPreset } from './presets';
export type { PresetInfo } from './presets';
export * from './api';
export {
  addPart,
  definitionOf,
  freePartId,
  holds,
  isBoundary,
  moveParts,
  removeParts,
  withDefinition,
} from './composite/edit';
export type { DefinitionEdit } from './composite/edit';
export { checkPartConnection, connectParts, disconnectParts, insertPart } from './composite/edit-connect';
export type { KnownOutputs } from './composite/edit-connect';
export {
  addPort,
  deleteDefinition,
  describeUses,
  removePort,
  renameDefinition,
  renamePort,
  setPortKind,
  usesOf,
} from './composite/manage';
export type { BlockUse } from './composite/manage';
