import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import type { BackendRequestChoice, TrainingDataChoice, TrainingEstimate, TrainingOptions } from '../../graph-schemas';
import { TrainingSchema } from '../../graph-schemas';
import { fieldsOf, parseFieldInput } from '../panels/schema-fields';
import { Modal } from '../app/Modal';
import { useEditor, useStudio, useValidation } from '../app/studio';
import { DataCheckBox, useDataCheck } from './DataCheckBox';
import { FolderBrowser } from './FolderBrowser';
import { describeEstimateTime, formatBytes } from './format';

interface Form {
  data: 'mnist' | 'folder';
  folder: string;
  steps: string;
  batchSize: string;
  seed: string;
  sampleEvery: string;
  backend: BackendRequestChoice;
}

const labels = {
  steps: 'Steps',
  batchSize: 'Batch size',
  seed: 'Seed',
  sampleEvery: 'Sample grid every (steps)',
} as const;
type NumberKey = keyof typeof labels;

/** The dialog's numbers follow the document's training settings: the same fields, ranges and messages as the inspector. */
const settingFields = new Map(fieldsOf(TrainingSchema).map((f) => [f.key, f]));

function intField(form: Form, key: NumberKey): { value?: number; error?: string } {
  const parsed = parseFieldInput(settingFields.get(key)!, form[key]);
  return parsed.ok ? { value: parsed.value as number } : { error: `${labels[key]}: ${parsed.reason}` };
}

/** The backends the picker offers besides Auto; each is labelled with what the engine found here once it said. */
const BACKEND_CHOICES: [Exclude<BackendRequestChoice, 'auto'>, string][] = [
  ['webgpu', 'GPU (WebGPU)'],
  ['tensorflow', 'Native TensorFlow'],
  ['wasm', 'WebAssembly'],
  ['cpu', 'Plain JavaScript'],
];

/** The Train dialog: dataset, steps, batch, backend, seed; the measured cost before anything starts. */
export function TrainDialog({ onClose }: { onClose(): void }) {
  const studio = useStudio();
  const training = useStudio().training;
  const doc = useEditor((s) => s.doc);
  const docPath = useEditor((s) => s.file.path);
  const report = useValidation((s) => s.report);
  const errors = report?.problems.filter((p) => p.severity === 'error') ?? [];
  const [form, setForm] = useState<Form>(() => ({
    data: doc.dataset.source.kind,
    folder: doc.dataset.source.kind === 'folder' ? doc.dataset.source.path : '',
    steps: String(doc.training.steps),
    batchSize: String(doc.training.batchSize),
    seed: String(doc.training.seed),
    sampleEvery: String(doc.training.sampleEvery),
    backend: 'auto',
  }));
  const [browse, setBrowse] = useState(false);
  const [estimate, setEstimate] = useState<{ key: string; result?: TrainingEstimate; error?: string } | null>(null);
  // What can run here (the GPU adapter's name, or why not), from the newest estimate that said so.
  const [available, setAvailable] = useState<TrainingEstimate['available']>(undefined);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setStartError(null);
  };

  const fields = {
    steps: intField(form, 'steps'),
    batchSize: intField(form, 'batchSize'),
    seed: intField(form, 'seed'),
    sampleEvery: intField(form, 'sampleEvery'),
  };
  const fieldErrors = Object.values(fields).flatMap((f) => (f.error ? [f.error] : []));
  if (form.data === 'folder' && !form.folder.trim())
    fieldErrors.push('Choose the image folder (one sub-folder per class).');
  const options: TrainingOptions | null = fieldErrors.length
    ? null
    : {
        doc,
        docPath,
        data: form.data === 'mnist' ? { kind: 'mnist' } : { kind: 'folder', path: form.folder.trim() },
        steps: fields.steps.value!,
        batchSize: fields.batchSize.value!,
        seed: fields.seed.value!,
        sampleEvery: fields.sampleEvery.value!,
        backend: form.backend,
      };

  // The estimate depends on the graph, batch and backend only; it is measured again (debounced) when they change.
  const estimateKey = options ? JSON.stringify([options.batchSize, options.backend]) : '';
  const asked = useRef('');
  // Reads the newest options when the debounce fires (the key says when to measure, not what).
  const measure = useEffectEvent((key: string) => {
    if (!options) return;
    asked.current = key;
    setEstimate({ key });
    training.control.estimate(options).then(
      (result) => {
        if (result.available) setAvailable(result.available);
        if (asked.current === key) setEstimate({ key, result });
      },
      (e: Error) => asked.current === key && setEstimate({ key, error: e.message }),
    );
  });
  useEffect(() => {
    if (!estimateKey || asked.current === estimateKey) return;
    const timer = setTimeout(() => measure(estimateKey), 400);
    return () => clearTimeout(timer);
  }, [estimateKey]);

  const current = estimate?.key === estimateKey ? estimate : null;
  const refused = current?.result && !current.result.fits;
  const dataChoice: TrainingDataChoice | null =
    form.data === 'mnist'
      ? { kind: 'mnist' }
      : form.folder.trim()
        ? { kind: 'folder', path: form.folder.trim() }
        : null;
  const d = doc.dataset;
  const dataCheck = useDataCheck(doc, dataChoice, JSON.stringify([d.imageSize, d.channels, d.classes]));
  const canStart = options && !starting && errors.length === 0 && !refused && !current?.error && !dataCheck?.error;
  const start = async () => {
    if (!options) return;
    setStarting(true);
    try {
      await training.control.start(options, current?.result, dataCheck?.report?.classNames);
      onClose();
    } catch (e) {
      setStartError((e as Error).message);
    } finally {
      setStarting(false);
    }
  };
  const chooseFolder = useCallback(async () => {
    if (studio.ui.getState().host?.kind === 'desktop') {
      try {
        const { path } = await studio.api.dialogs.chooseFolder({ title: 'Image folder (one sub-folder per class)' });
        if (path) set({ folder: path });
        return;
      } catch {
        // No native dialog: browse in the app.
      }
    }
    setBrowse((b) => !b);
  }, [studio]);

  const numberField = (key: NumberKey, help?: string) => (
    <div className="field">
      <label htmlFor={`train-${key}`}>{labels[key]}</label>
      <input
        id={`train-${key}`}
        type="text"
        inputMode="numeric"
        className={fields[key].error ? 'invalid' : ''}
        value={form[key]}
        onChange={(e) => set({ [key]: e.target.value })}
        data-testid={`train-${key}`}
      />
      {help && <div className="field-help">{help}</div>}
    </div>
  );

  return (
    <Modal
      title={`Train ${doc.name}`}
      onClose={onClose}
      wide
      testId="train-dialog"
      footer={
        <>
          <span className="muted small">
            {docPath ? `Runs are kept with ${docPath}` : 'The document is not saved: its runs are listed as unsaved.'}
          </span>
          <span className="spacer" />
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            className="button primary"
            disabled={!canStart}
            onClick={() => void start()}
            data-testid="train-start"
          >
            {starting ? 'Starting…' : '▶ Start training'}
          </button>
        </>
      }
    >
      <div className="train-form">
        <div>
          <div className="field">
            <label>Dataset</label>
            <div className="segmented" role="group" aria-label="Dataset">
              <button
                className={form.data === 'mnist' ? 'active' : ''}
                onClick={() => set({ data: 'mnist' })}
                data-testid="train-data-mnist"
              >
                Built-in MNIST
              </button>
              <button
                className={form.data === 'folder' ? 'active' : ''}
                onClick={() => set({ data: 'folder' })}
                data-testid="train-data-folder"
              >
                Image folder
              </button>
            </div>
            <div className="field-help">
              {form.data === 'mnist'
                ? '10,000 handwritten digits (28×28, padded to the image size), 10 classes.'
                : 'PNG or JPEG images, one sub-folder per class (or none for an unconditional model), resized to the document’s image size.'}
            </div>
          </div>
          {form.data === 'folder' && (
            <div className="field">
              <label htmlFor="train-folder">Image folder</label>
              <div className="path-bar">
                <input
                  id="train-folder"
                  value={form.folder}
                  onChange={(e) => set({ folder: e.target.value })}
                  placeholder="/path/to/images"
                  data-testid="train-folder"
                />
                <button className="button small" onClick={() => void chooseFolder()}>
                  Browse…
                </button>
              </div>
              {browse && (
                <FolderBrowser
                  start={form.folder || studio.ui.getState().host?.documentsDir || '.'}
                  onPath={(p) => set({ folder: p })}
                />
              )}
            </div>
          )}
          {numberField('steps', `The document says ${doc.training.steps.toLocaleString()}.`)}
          {numberField('batchSize', 'SAGAN used 256 on TPUs; on a CPU, 8–64.')}
        </div>
        <div>
          {numberField('seed', 'Same seed, same noise: sample grids of two runs compare directly.')}
          {numberField('sampleEvery')}
          <div className="field">
            <label htmlFor="train-backend">Backend</label>
            <select
              id="train-backend"
              value={form.backend}
              onChange={(e) => set({ backend: e.target.value as BackendRequestChoice })}
              data-testid="train-backend"
            >
              <option value="auto">Auto (fastest available)</option>
              {BACKEND_CHOICES.map(([value, label]) => {
                const here = available?.find((a) => a.backend === value);
                return (
                  <option key={value} value={value} disabled={here?.available === false} title={here?.detail}>
                    {here ? `${label}: ${here.available ? here.detail : 'not available here'}` : label}
                  </option>
                );
              })}
            </select>
          </div>
        </div>
      </div>
      <DataCheckBox check={dataCheck} doc={d} />
      <EstimateBox estimate={current} steps={fields.steps.value} onUseBatch={(b) => set({ batchSize: String(b) })} />
      {errors.length > 0 && (
        <p className="error-text small" data-testid="train-doc-errors">
          The graph has {errors.length} problem{errors.length === 1 ? '' : 's'} to fix first: {errors[0]!.message}
        </p>
      )}
      {fieldErrors.map((e) => (
        <p key={e} className="error-text small">
          {e}
        </p>
      ))}
      {startError && (
        <p className="error-text" role="alert" data-testid="train-error">
          {startError}
        </p>
      )}
    </Modal>
  );
}

function EstimateBox({
  estimate,
  steps,
  onUseBatch,
}: {
  estimate: { result?: TrainingEstimate; error?: string } | null;
  steps?: number;
  onUseBatch(batch: number): void;
}) {
  if (!estimate) return <div className="estimate muted small">The cost is measured once the settings are valid.</div>;
  if (estimate.error)
    return (
      <div className="estimate refused" data-testid="train-estimate" role="alert">
        {estimate.error}
      </div>
    );
  const r = estimate.result;
  if (!r)
    return (
      <div className="estimate muted" data-testid="train-estimate" data-state="measuring">
        Measuring on the chosen backend: memory at batches 1 and 2, then a warm-up and several timed iterations at this
        batch…
      </div>
    );
  return (
    <div
      className={`estimate${r.fits ? '' : ' refused'}`}
      data-testid="train-estimate"
      data-state={r.fits ? 'fits' : 'refused'}
    >
      <div>
        <strong>Backend</strong> {r.backend} <span className="muted">— {r.backendReason}</span>
      </div>
      <div>
        <strong>Memory</strong> {formatBytes(r.peakBytes)} per iteration at batch {r.batchSize} (
        {formatBytes(r.fixedBytes)} + {formatBytes(r.perSampleBytes)} per sample)
        {r.limitBytes !== null && <span className="muted"> of {formatBytes(r.limitBytes)}</span>}
      </div>
      <TimeLine timing={r.timing} steps={steps} />
      {!r.fits && (
        <div className="refusal">
          {r.message}
          {r.largestBatch !== null && r.largestBatch > 0 && (
            <button className="button small" onClick={() => onUseBatch(r.largestBatch!)}>
              Use batch {r.largestBatch}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function TimeLine({ timing, steps }: { timing: TrainingEstimate['timing']; steps?: number }) {
  const t = describeEstimateTime(timing, steps);
  return (
    <div data-testid="train-estimate-time" data-confidence={timing.confidence} data-samples={timing.samples}>
      <strong>Time</strong> {t.perIteration}
      {t.total && <> → {t.total}</>}
      <div className={`muted small confidence-${timing.confidence}`}>{t.how}</div>
    </div>
  );
}
