import type { CompositeDefinition, NetworkName } from '../../graph-schemas';
import { useEditor, useStudio } from '../app/studio';
import { notify } from '../app/ui-store';
import { addNode } from '../store/graph-edits';
import { DocumentBlockItem } from './DocumentBlockItem';

function matches(def: CompositeDefinition, query: string): boolean {
  const q = query.trim().toLowerCase();
  return !q || [def.title, def.type, def.description].some((t) => t.toLowerCase().includes(q));
}

/** The palette's "This document" section: the document's own (composite) blocks, added like any other block. */
export function DocumentBlocks({ query, active }: { query: string; active: NetworkName }) {
  const studio = useStudio();
  const blocks = useEditor((s) => s.doc.blocks);
  const uses = useEditor((s) => {
    const count = new Map<string, number>();
    for (const n of [...s.doc.generator.nodes, ...s.doc.discriminator.nodes])
      count.set(n.type, (count.get(n.type) ?? 0) + 1);
    return JSON.stringify([...count]);
  });
  const useCount = new Map<string, number>(JSON.parse(uses) as [string, number][]);
  const shown = blocks.filter((b) => matches(b, query));
  if (shown.length === 0) return null;

  const addToActive = (def: CompositeDefinition) => {
    const inside = studio.ui.getState().inside;
    if (inside) return inside.addPart(def.type); // a block is open: add it there
    const center = studio.ui.getState().panes[active]?.center() ?? { x: 0, y: 0 };
    const result = studio.editor.getState().execute(addNode(active, def.type, { x: center.x - 120, y: center.y - 40 }));
    if (!result.ok) notify(studio.ui, 'warning', result.reason);
  };

  return (
    <div className="palette-group" data-testid="palette-document-blocks">
      <h5>
        <span className="cat-dot cat-composite" />
        This document
      </h5>
      {shown.map((b) => {
        const n = useCount.get(b.type) ?? 0;
        return (
          <DocumentBlockItem
            key={b.type}
            def={b}
            uses={n}
            here={b.networks.includes(active)}
            tooltip={`${b.description || b.title}\n\n${b.nodes.length} parts; used ${n} time${n === 1 ? '' : 's'}. Drag onto a canvas or onto a connection; double-click to add to the ${active}. Right-click (or ⋯) to rename or delete.`}
            onAdd={() => addToActive(b)}
          />
        );
      })}
    </div>
  );
}
