import { useMemo, useState } from 'react';
import type { BlockCategory, BlockDefinition } from '../../graph-schemas';
import { blockCatalog } from '../../graph-schemas';
import { useStudio, useUi } from '../app/studio';
import { notify } from '../app/ui-store';
import { addNode } from '../store/graph-edits';
import { DocumentBlocks } from './DocumentBlocks';
import { PaletteItem } from './PaletteItem';

const categories: BlockCategory[] = [
  'Inputs',
  'Dense',
  'Convolution',
  'Residual',
  'Merge',
  'Attention',
  'Normalization',
  'Activation',
  'Resampling',
  'Heads',
  'Outputs',
];

function matches(block: BlockDefinition, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [block.title, block.type, block.category, block.description].some((t) => t.toLowerCase().includes(q));
}

/** Every block, grouped by category and searchable; drag onto a canvas or a connection, or double-click to add. */
export function Palette() {
  const studio = useStudio();
  const active = useUi((s) => s.activeNetwork);
  const [query, setQuery] = useState('');
  const groups = useMemo(
    () =>
      categories
        .map((c) => ({ category: c, blocks: blockCatalog.filter((b) => b.category === c && matches(b, query)) }))
        .filter((g) => g.blocks.length),
    [query],
  );

  const addToActive = (block: BlockDefinition) => {
    const inside = studio.ui.getState().inside;
    if (inside) return inside.addPart(block.type); // a block is open: add it there
    const center = studio.ui.getState().panes[active]?.center() ?? { x: 0, y: 0 };
    const result = studio.editor
      .getState()
      .execute(addNode(active, block.type, { x: center.x - 120, y: center.y - 40 }));
    if (!result.ok) notify(studio.ui, 'warning', result.reason);
  };

  return (
    <aside className="palette" data-testid="palette">
      <div className="palette-search">
        <input
          type="search"
          placeholder="Search blocks…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Search blocks"
        />
      </div>
      <div className="palette-groups">
        <DocumentBlocks query={query} active={active} />
        {groups.map(({ category, blocks }) => (
          <div key={category} className="palette-group">
            <h5>
              <span className={`cat-dot cat-${category.toLowerCase()}`} />
              {category}
            </h5>
            {blocks.map((b) => {
              const here = b.networks.includes(active);
              return (
                <PaletteItem
                  key={b.type}
                  type={b.type}
                  title={b.title}
                  tooltip={`${b.description}\n\nIn: ${b.networks.join(', ')}. Drag onto a canvas or onto a connection; double-click to add to the ${active}.`}
                  here={here}
                  badge={b.networks.map((n) => (n === 'generator' ? 'G' : 'D')).join(' ')}
                  onAdd={() => addToActive(b)}
                />
              );
            })}
          </div>
        ))}
        {groups.length === 0 && <p className="muted small">No block matches “{query}”.</p>}
      </div>
    </aside>
  );
}
