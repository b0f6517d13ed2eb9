import { describe, expect, it } from 'vitest';
import { blockTypes } from '../../../../graph-schemas';
import { compilableBlockTypes } from './node-builders';

describe('node builders', () => {
  it('compile every block type of the catalog, and nothing the catalog lacks', () => {
    expect([...compilableBlockTypes].sort()).toEqual([...blockTypes].sort());
  });
});
