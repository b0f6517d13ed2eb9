import { useEffect, useRef, useState } from 'react';
import type { CompositeDefinition } from '../../graph-schemas';
import { describeUses, usesOf } from '../../graph-schemas';
import { useStudio } from '../app/studio';
import { confirmDialog, notify } from '../app/ui-store';
import { deleteBlock, renameBlock } from '../store/definition-edits';
import { PaletteItem } from './PaletteItem';

interface Props {
  def: CompositeDefinition;
  uses: number;
  here: boolean;
  tooltip: string;
  onAdd: () => void;
}

/**
 * A block of the document in the palette: added like any block, and with a menu (the ⋯ button or right-click) to
 * rename it (its display name; its type stays) or delete it (with its uses, after asking, when it is used).
 */
export function DocumentBlockItem({ def, uses, here, tooltip, onAdd }: Props) {
  const studio = useStudio();
  const [menu, setMenu] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!menu) return;
    const close = (e: PointerEvent) => !menuRef.current?.contains(e.target as Node) && setMenu(false);
    window.addEventListener('pointerdown', close);
    return () => window.removeEventListener('pointerdown', close);
  }, [menu]);

  const remove = async () => {
    setMenu(false);
    const doc = studio.editor.getState().doc;
    const used = usesOf(doc, def.type);
    let withUses = false;
    if (used.length) {
      const n = used.length;
      withUses = await confirmDialog(studio.ui, {
        title: `Delete ${def.title}?`,
        message: `${def.title} is used ${n === 1 ? 'once' : `${n} times`}: ${describeUses(used)}. Deleting the block deletes ${n === 1 ? 'that node' : `those ${n} nodes`} and their connections too; Undo brings them back.`,
        confirm: `Delete with its ${n === 1 ? 'use' : `${n} uses`}`,
        danger: true,
      });
      if (!withUses) return;
    }
    const result = studio.editor.getState().execute(deleteBlock(def.type, withUses));
    if (!result.ok) notify(studio.ui, 'warning', result.reason);
    else notify(studio.ui, 'info', `${result.note ?? `Deleted ${def.title}.`} Undo brings it back.`);
  };

  if (renaming) return <RenameField def={def} onDone={() => setRenaming(false)} />;
  return (
    <div className="document-block" ref={menuRef}>
      <PaletteItem
        type={def.type}
        title={def.title}
        tooltip={tooltip}
        here={here}
        badge={`×${uses}`}
        onAdd={onAdd}
        onContextMenu={(e) => {
          e.preventDefault();
          setMenu(true);
        }}
        actions={
          <button
            className="palette-item-menu"
            aria-label={`Actions of ${def.title}`}
            aria-haspopup="menu"
            aria-expanded={menu}
            onClick={() => setMenu((m) => !m)}
            onDoubleClick={(e) => e.stopPropagation()}
          >
            ⋯
          </button>
        }
      />
      {menu && (
        <div className="menu-dropdown document-block-menu" role="menu">
          <button
            role="menuitem"
            className="menu-item"
            onClick={() => {
              setMenu(false);
              setRenaming(true);
            }}
          >
            Rename…
          </button>
          <button role="menuitem" className="menu-item danger" onClick={() => void remove()}>
            {uses ? `Delete with its ${uses === 1 ? 'use' : `${uses} uses`}…` : 'Delete'}
          </button>
        </div>
      )}
    </div>
  );
}

function RenameField({ def, onDone }: { def: CompositeDefinition; onDone: () => void }) {
  const studio = useStudio();
  const [value, setValue] = useState(def.title);
  const [error, setError] = useState<string | null>(null);
  const commit = () => {
    const result = studio.editor.getState().execute(renameBlock(def.type, value));
    if (!result.ok) return setError(result.reason);
    onDone();
  };
  return (
    <form
      className="document-block-rename"
      onSubmit={(e) => {
        e.preventDefault();
        commit();
      }}
    >
      <input
        aria-label={`New name for ${def.title}`}
        value={value}
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => {
          setValue(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onDone();
          }
        }}
        maxLength={200}
      />
      {error && (
        <p className="field-error small" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
