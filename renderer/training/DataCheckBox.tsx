import { useEffect, useEffectEvent, useState } from 'react';
import type { DataCheck, TrainingDataChoice } from '../../graph-schemas';
import { useStudio } from '../app/studio';

/** Rows of the preview are drawn this tall (CSS pixels), whatever the images' size. */
const ROW_PX = 30;

export type DataCheckState = { key: string; report?: DataCheck; error?: string } | null;

/**
 * Checks the chosen data for the document (debounced when it changes): whether it opens, what it holds, what is left
 * out; `onState` tells the dialog (a refusal blocks Start).
 */
export function useDataCheck(doc: unknown, data: TrainingDataChoice | null, docKey: string): DataCheckState {
  const studio = useStudio();
  const key = data ? JSON.stringify([data, docKey]) : '';
  const [state, setState] = useState<DataCheckState>(null);
  // Reads the newest document and choice when the debounce fires (the key says when to check, not what).
  const check = useEffectEvent((key: string, isCurrent: () => boolean) => {
    if (!data) return;
    setState({ key });
    studio.api.training.checkData({ doc, data }).then(
      (report) => isCurrent() && setState({ key, report }),
      (e: Error) => isCurrent() && setState({ key, error: e.message }),
    );
  });
  useEffect(() => {
    if (!key) return;
    let current = true;
    const timer = setTimeout(() => check(key, () => current), 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key]);
  return state?.key === key ? state : key ? { key } : null;
}

/** What the data holds, as the Train dialog shows it before anything starts: counts, sizes, skipped files, images. */
export function DataCheckBox({ check, doc }: { check: DataCheckState; doc: { imageSize: number; channels: number } }) {
  if (!check) return null;
  if (check.error)
    return (
      <div className="data-check refused" data-testid="data-check" data-state="refused" role="alert">
        <strong>Data</strong> {check.error}
      </div>
    );
  const r = check.report;
  if (!r)
    return (
      <div className="data-check muted" data-testid="data-check" data-state="checking">
        Checking the data…
      </div>
    );
  const p = r.preview;
  const scale = ROW_PX / p.cellSize;
  const gap = (p.height - p.rows.length * p.cellSize) / Math.max(1, p.rows.length - 1);
  return (
    <div className="data-check" data-testid="data-check" data-state="ok">
      <div>
        <strong>Data</strong> {r.source.kind === 'folder' ? r.source.path : 'MNIST'}: {r.images.toLocaleString()} images
        {r.classes > 0 ? `, ${r.classes} classes` : ', unconditional'}
      </div>
      <div className="muted small" data-testid="data-check-size">
        Trained as {r.imageSize}×{r.imageSize}, {r.channels === 1 ? '1 channel (gray)' : `${r.channels} channels (RGB)`}
        {r.imageSize === doc.imageSize && r.channels === doc.channels
          ? ` — the document’s size and channels (${r.source.kind === 'mnist' ? '28×28 digits padded to it' : 'images are resized and centre-cropped to it'}).`
          : ` — the document asks for ${doc.imageSize}×${doc.imageSize}×${doc.channels}.`}
      </div>
      {r.skipped.count > 0 && (
        <div className="data-skipped small" data-testid="data-check-skipped">
          {r.skipped.count} file{r.skipped.count === 1 ? '' : 's'} could not be read and{' '}
          {r.skipped.count === 1 ? 'is' : 'are'} left out:
          <ul>
            {r.skipped.examples.map((s) => (
              <li key={s.file}>
                <span className="mono">{s.file}</span> — {s.reason}
              </li>
            ))}
            {r.skipped.count > r.skipped.examples.length && (
              <li>and {r.skipped.count - r.skipped.examples.length} more</li>
            )}
          </ul>
        </div>
      )}
      <div className="data-preview" data-testid="data-preview">
        <div className="data-preview-labels">
          {p.rows.map((row, i) => (
            <div
              key={row.name}
              style={{ height: p.cellSize * scale, marginBottom: i < p.rows.length - 1 ? gap * scale : 0 }}
              data-testid="data-class"
              data-count={row.count}
            >
              <span className="class-name" title={row.name}>
                {row.name}
              </span>{' '}
              <span className="muted small">{row.count.toLocaleString()}</span>
            </div>
          ))}
        </div>
        <img
          src={`data:image/png;base64,${p.pngBase64}`}
          width={p.width * scale}
          height={p.height * scale}
          alt={`Real images of ${p.rows.length} class${p.rows.length === 1 ? '' : 'es'}`}
        />
      </div>
      {p.hiddenClasses > 0 && (
        <div className="muted small">
          and {p.hiddenClasses} more class{p.hiddenClasses === 1 ? '' : 'es'} not shown
        </div>
      )}
    </div>
  );
}
