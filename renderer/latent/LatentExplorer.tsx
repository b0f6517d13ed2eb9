import '../styles/latent.css';
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { LatentModel, LatentSourceChoice, LatentViewChoice } from '../../graph-schemas';
import { LATENT_LIMITS, LATENT_TRUNCATION } from '../../graph-schemas';
import { Modal } from '../app/Modal';
import { useStudio } from '../app/studio';
import { notify } from '../app/ui-store';
import { errorText } from '../training/training-store';
import { closeLatentExplorer, latentOpenStore } from './latent-open';
import { savePicture } from './latent-save';
import type { CellRef, LatentControls } from './latent-views';
import {
  gridCellImage,
  gridView,
  initialControls,
  pngName,
  randomSeed,
  stripView,
  truncationFrom,
} from './latent-views';
import type { CellMark } from './LatentPicture';
import { LatentPictureView, zoomFor } from './LatentPicture';
import { ExportPicker } from './ExportPicker';
import { InterpolationControls } from './InterpolationControls';
import { useDrawn } from './use-drawn';

/** The latent explorer, when one is open (mounted once, with the training dock). */
export function LatentExplorerHost() {
  const open = useStore(latentOpenStore, (s) => s.open);
  const picking = useStore(latentOpenStore, (s) => s.pickingExport);
  if (picking) return <ExportPicker />;
  if (!open) return null;
  return <LatentExplorer key={JSON.stringify(open.source)} source={open.source} title={open.title} />;
}

/**
 * A run's or an export's generator, explored: a class × noise grid from a seed (the same noise down each column),
 * truncation, interpolation between two noise vectors, and PNGs of an image, the grid or the strip. The engine draws
 * everything from the chosen checkpoint (G's EMA weights when the run keeps them).
 */
export function LatentExplorer({ source, title }: { source: LatentSourceChoice; title: string }) {
  const studio = useStudio();
  const api = studio.api;
  const [model, setModel] = useState<LatentModel | null>(null);
  const [step, setStep] = useState<number | null>(null);
  const [c, setControls] = useState<LatentControls>(() => initialControls(randomSeed()));
  const set = (patch: Partial<LatentControls>) => setControls((old) => ({ ...old, ...patch }));
  const [truncOn, setTruncOn] = useState(false);
  const [truncValue, setTruncValue] = useState(1);
  const truncation = truncationFrom(truncOn, truncValue);
  const [wantStrip, setWantStrip] = useState(false);
  const [selected, setSelected] = useState<CellRef | null>(null);
  const [nextEnd, setNextEnd] = useState<'from' | 'to'>('from');
  const [saving, setSaving] = useState<string | null>(null);
  const [scale, setScale] = useState(2);

  const at: LatentSourceChoice = source.kind === 'run' && step !== null ? { ...source, step } : source;
  const atKey = JSON.stringify(at);

  // The model: its checkpoints, classes and names (the engine keeps it loaded for the drawing that follows).
  const [described, setDescribed] = useState<{ key: string; error: string | null }>({ key: '', error: null });
  useEffect(() => {
    let live = true;
    api.latent.describe({ source: JSON.parse(atKey) as LatentSourceChoice }).then(
      (m) => {
        if (!live) return;
        setModel(m);
        setDescribed({ key: atKey, error: null });
      },
      (e: unknown) => live && setDescribed({ key: atKey, error: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [api, atKey]);
  const describing = described.key === atKey ? null : 'Loading the model…';
  const error = described.key === atKey ? described.error : null;

  const gridRequest = model ? gridView({ ...c, truncation }, model) : null;
  const stripRequest = model && wantStrip ? stripView({ ...c, truncation }) : null;
  const drawnGrid = useDrawn(api, at, gridRequest);
  const drawnStrip = useDrawn(api, at, stripRequest);
  const grid = drawnGrid.picture;
  const strip = drawnStrip.picture;
  const status = describing ?? saving ?? (drawnGrid.pending || drawnStrip.pending ? 'Drawing…' : null);
  const shownError = error ?? drawnGrid.error ?? drawnStrip.error;

  const classNames = model?.classNames ?? [];
  const rowNames = grid ? grid.rowClasses.map((k) => classNames[k] ?? `class ${k}`) : [];
  const pickCell = (cell: CellRef, e: React.MouseEvent) => {
    setSelected(cell);
    const end = e.shiftKey ? 'to' : nextEnd;
    const noise = { seed: c.seed, column: cell.col };
    set({ [end]: noise, ...(grid && grid.rowClasses.length ? { stripClass: grid.rowClasses[cell.row]! } : {}) });
    setNextEnd(end === 'from' ? 'to' : 'from');
  };
  const rowOf = (k: number) => (grid ? grid.rowClasses.indexOf(k) : -1);
  const endMark = (end: 'from' | 'to'): CellMark[] => {
    const ref = c[end];
    const row = grid && grid.rowClasses.length ? rowOf(c.stripClass) : 0;
    if (!grid || ref.seed !== c.seed || ref.column >= grid.cols || row < 0) return [];
    return [{ cell: { row, col: ref.column }, label: end === 'from' ? 'A' : 'B', kind: end }];
  };
  const marks = [
    ...(selected ? [{ cell: selected, label: '', kind: 'selected' as const }] : []),
    ...endMark('from'),
    ...endMark('to'),
  ];

  const save = async (view: LatentViewChoice | null, what: string) => {
    if (!view || !model) return;
    setSaving(`Saving the ${what}…`);
    try {
      await savePicture(studio, at, view, scale, pngName(model.name, model.step, view));
    } catch (e) {
      notify(studio.ui, 'error', errorText(e));
    } finally {
      setSaving(null);
    }
  };
  const room = 880 - (rowNames.length ? 90 : 0);

  return (
    <Modal
      title={`Latent explorer — ${title}`}
      onClose={closeLatentExplorer}
      wide
      testId="latent-explorer"
      footer={
        <>
          <span className="muted small" data-testid="latent-status">
            {status ?? (shownError ? '' : model ? describeModel(model) : '')}
          </span>
          <span className="spacer" />
          <label className="small">
            PNG size{' '}
            <select value={scale} onChange={(e) => setScale(Number(e.target.value))} data-testid="latent-scale">
              {[1, 2, 4, 8].map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
          <button
            className="button"
            disabled={!selected || !grid || !!status}
            onClick={() =>
              void save(selected && grid ? gridCellImage({ ...c, truncation }, grid, selected) : null, 'image')
            }
            data-testid="latent-save-image"
            title="The selected cell of the grid"
          >
            Save image…
          </button>
          <button
            className="button"
            disabled={!gridRequest || !!status}
            onClick={() => void save(gridRequest, 'grid')}
            data-testid="latent-save-grid"
          >
            Save grid…
          </button>
          <button
            className="button"
            disabled={!strip || !!status}
            onClick={() => void save(stripRequest, 'strip')}
            data-testid="latent-save-strip"
          >
            Save strip…
          </button>
        </>
      }
    >
      <div className="latent-body" aria-busy={status !== null}>
        <div className="latent-toolbar">
          {model && model.kind === 'run' && (
            <label>
              Checkpoint
              <select value={model.step} onChange={(e) => setStep(Number(e.target.value))} data-testid="latent-step">
                {[...model.steps].reverse().map((s) => (
                  <option key={s} value={s}>
                    step {s.toLocaleString()}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            Seed
            <input
              type="number"
              min={0}
              value={c.seed}
              onChange={(e) =>
                Number.isInteger(Number(e.target.value)) &&
                Number(e.target.value) >= 0 &&
                set({ seed: Number(e.target.value) })
              }
              data-testid="latent-seed"
            />
          </label>
          <button className="button small" onClick={() => set({ seed: randomSeed() })} data-testid="latent-new-seed">
            New seed
          </button>
          <label>
            Columns
            <input
              type="number"
              min={1}
              max={LATENT_LIMITS.cols}
              value={c.cols}
              onChange={(e) => {
                const n = Number(e.target.value);
                if (Number.isInteger(n) && n >= 1 && n <= LATENT_LIMITS.cols) set({ cols: n });
              }}
              data-testid="latent-cols"
            />
          </label>
          <label title="BigGAN's truncation trick: noise components beyond the threshold are drawn again. Lower: less variety, more typical images.">
            <input
              type="checkbox"
              checked={truncOn}
              onChange={(e) => setTruncOn(e.target.checked)}
              data-testid="latent-truncation-on"
            />
            Truncation
            <input
              type="range"
              min={LATENT_TRUNCATION.min}
              max={2}
              step={0.05}
              value={truncValue}
              disabled={!truncOn}
              onChange={(e) => setTruncValue(Number(e.target.value))}
              aria-label="Truncation threshold"
              data-testid="latent-truncation"
            />
            <span className="mono" data-testid="latent-truncation-value">
              {truncOn ? `|z| ≤ ${truncation!.toFixed(2)}` : 'off'}
            </span>
          </label>
        </div>
        {shownError && (
          <p className="error-text" data-testid="latent-error">
            {shownError}
          </p>
        )}
        {grid && (
          <>
            <p className="muted small">
              Each column is one noise vector, the same in every row
              {grid.rowClasses.length ? ' (one row per class)' : ''}. Click a cell to select it and set endpoint{' '}
              {nextEnd === 'from' ? 'A' : 'B'} (Shift+click: B).
            </p>
            <LatentPictureView
              picture={grid}
              rowNames={rowNames}
              zoom={zoomFor(grid, { width: room, height: 400 })}
              marks={marks}
              onCell={pickCell}
              testId="latent-grid"
            />
          </>
        )}
        {model && (
          <InterpolationControls
            controls={c}
            set={set}
            classNames={classNames}
            busy={!!status}
            onInterpolate={() => setWantStrip(true)}
          />
        )}
        {strip && (
          <LatentPictureView
            picture={strip}
            rowNames={rowNames.length ? [classNames[c.stripClass] ?? ''] : []}
            zoom={zoomFor(strip, { width: room, height: 160 })}
            testId="latent-strip"
          />
        )}
      </div>
    </Modal>
  );
}

function describeModel(m: LatentModel): string {
  const weights = m.usesEma
    ? "G's EMA weights"
    : m.kind === 'run'
      ? "G's weights (the run keeps no EMA)"
      : "the export's G";
  return `${m.name}, step ${m.step.toLocaleString()}: drawn with ${weights}; z has ${m.zDim} values${m.classes ? `, ${m.classes} classes` : ', unconditional'}.`;
}
