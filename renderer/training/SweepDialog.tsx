import { useMemo, useState } from 'react';
import type { NetworkName } from '../../graph-schemas';
import { RunSettingSchemas, TrainingSchema } from '../../graph-schemas';
import { Modal } from '../app/Modal';
import { useEditor, useStudio, useValidation } from '../app/studio';
import { indexReport } from '../validation/report-index';
import { placementChoices } from './sweep-choices';
import { errorText } from './training-store';

const SAMPLES = TrainingSchema.shape.metricsSamples.unwrap();

/**
 * "Compare attention placements" on a SelfAttention node: which feature maps to try (those the network has; feat8/16/32
 * checked), in this network or both, and how long each variant trains; then the host trains them one after another
 * and Compare shows the table as it fills.
 */
export function SweepDialog({ network, nodeId, onClose }: { network: NetworkName; nodeId: string; onClose(): void }) {
  const studio = useStudio();
  const doc = useEditor((s) => s.doc);
  const report = useValidation((s) => s.report);
  const current = report ? indexReport(report).node(network, nodeId)?.resolution : undefined;
  const [moveBoth, setMoveBoth] = useState(true);
  const choices = useMemo(() => placementChoices(doc, network, current, moveBoth), [doc, network, current, moveBoth]);
  const [picked, setPicked] = useState<Record<string, boolean>>({});
  const isPicked = (p: string) => picked[p] ?? choices.find((c) => c.placement === p)?.checked ?? false;
  const placements = choices.map((c) => c.placement).filter(isPicked);
  const [form, setForm] = useState({ steps: '200', batchSize: String(doc.training.batchSize), samples: '500' });
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const parsed = {
    steps: RunSettingSchemas.steps.safeParse(Number(form.steps)),
    batchSize: RunSettingSchemas.batchSize.safeParse(Number(form.batchSize)),
    samples: SAMPLES.safeParse(Number(form.samples)),
  };
  const valid = parsed.steps.success && parsed.batchSize.success && parsed.samples.success;
  const canStart = valid && placements.length >= 2 && !starting;

  const start = async () => {
    if (!parsed.steps.success || !parsed.batchSize.success || !parsed.samples.success) return;
    setStarting(true);
    setError(null);
    try {
      await studio.api.sweeps.start({
        doc,
        nodeId,
        network,
        moveIn: moveBoth ? 'both' : 'this',
        placements,
        data:
          doc.dataset.source.kind === 'folder' ? { kind: 'folder', path: doc.dataset.source.path } : { kind: 'mnist' },
        steps: parsed.steps.data,
        batchSize: parsed.batchSize.data,
        samples: parsed.samples.data,
      });
      onClose();
      studio.training.showDock('compare');
    } catch (e) {
      setError(errorText(e));
      setStarting(false);
    }
  };

  const numberField = (key: keyof typeof form, label: string, help: string) => (
    <div className="field">
      <label htmlFor={`sweep-${key}`}>{label}</label>
      <input
        id={`sweep-${key}`}
        type="text"
        inputMode="numeric"
        className={parsed[key].success ? '' : 'invalid'}
        value={form[key]}
        onChange={(e) => setForm((f) => ({ ...f, [key]: e.target.value }))}
        data-testid={`sweep-${key}`}
      />
      <div className="field-help">{parsed[key].success ? help : parsed[key].error.issues[0]?.message}</div>
    </div>
  );

  return (
    <Modal
      title="Compare attention placements"
      onClose={onClose}
      testId="sweep-dialog"
      footer={
        <>
          <span className="muted small">Same seed, data and steps for every variant, trained one after another.</span>
          <span className="spacer" />
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            className="button primary"
            disabled={!canStart}
            onClick={() => void start()}
            data-testid="sweep-start"
          >
            {starting ? 'Starting…' : `▶ Train ${placements.length} variants`}
          </button>
        </>
      }
    >
      <p className="muted small">
        Moves <code>{nodeId}</code> to the block that makes each feature map (the paper's feat<i>k</i>) and trains each
        variant; the table (FD, KID, class accuracy, it/s, parameters) appears in Compare.
      </p>
      <div className="field">
        <label>Move attention in</label>
        <div className="segmented" role="group" aria-label="Move attention in">
          <button className={moveBoth ? 'active' : ''} onClick={() => setMoveBoth(true)} data-testid="sweep-both">
            G and D
          </button>
          <button className={moveBoth ? '' : 'active'} onClick={() => setMoveBoth(false)} data-testid="sweep-this">
            {network === 'generator' ? 'G' : 'D'} only
          </button>
        </div>
      </div>
      <div className="field" data-testid="sweep-placements">
        <label>Placements</label>
        {choices.length === 0 && (
          <p className="error-text small">
            The other network has no single attention node to move; choose “{network === 'generator' ? 'G' : 'D'} only”.
          </p>
        )}
        {choices.map((c) => (
          <label key={c.placement} className="inline-field">
            <input
              type="checkbox"
              checked={isPicked(c.placement)}
              onChange={(e) => setPicked((p) => ({ ...p, [c.placement]: e.target.checked }))}
              data-testid={`sweep-at-${c.placement}`}
            />
            {c.placement}
            {c.current && <span className="muted small"> (now)</span>}
          </label>
        ))}
        {choices.length > 0 && placements.length < 2 && (
          <div className="field-help">Choose at least two placements to compare.</div>
        )}
      </div>
      {numberField('steps', 'Steps per variant', 'Every variant trains this many steps.')}
      {numberField('batchSize', 'Batch size', 'The same for every variant.')}
      {numberField('samples', 'Images per measurement', 'Generated at the last step to measure each variant.')}
      {error && (
        <p className="error-text" role="alert" data-testid="sweep-error">
          {error}
        </p>
      )}
    </Modal>
  );
}
