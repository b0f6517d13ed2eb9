import type { z } from 'zod';
import type { GraphDocument } from '../../graph-schemas';
import { DatasetSchema, GraphDocumentSchema, OptimizerSchema, TrainingSchema } from '../../graph-schemas';
import { useEditor, useStudio } from '../app/studio';
import type { SettingPath } from '../store/settings-edits';
import { getSetting, setSetting } from '../store/settings-edits';
import { FieldInput } from './FieldInput';
import type { FieldSpec } from './schema-fields';
import { fieldsOf } from './schema-fields';

const emaSchema = TrainingSchema.shape.ema.unwrap();
const labels: Record<string, string> = {
  objective: 'Loss',
  dStepsPerGStep: 'D steps per G step',
  batchSize: 'Batch size',
  steps: 'Training steps',
  seed: 'Random seed',
  sampleEvery: 'Sample every',
  checkpointEvery: 'Checkpoint every',
  metricsEvery: 'Measure quality every',
  metricsSamples: 'Images per measurement',
  lr: 'Learning rate',
  beta1: 'β1',
  beta2: 'β2',
  epsilon: 'ε',
  enabled: 'Use EMA of G for samples',
  decay: 'Decay',
  startStep: 'Start at step',
  imageSize: 'Image size',
  channels: 'Channels',
  classes: 'Classes',
};

/** The training setup beside the canvases: dataset, loss and schedule, both optimizers, EMA. */
export function TrainingPanel() {
  const doc = useEditor((s) => s.doc);
  const scalarDataset = fieldsOf(DatasetSchema).filter((f) => f.key !== 'source');
  return (
    <div className="training-panel" data-testid="training-panel">
      <h4>Dataset</h4>
      <DatasetSource doc={doc} />
      <Fields doc={doc} base={['dataset']} fields={scalarDataset} />
      <h4>Loss and schedule</h4>
      <Fields doc={doc} base={['training']} fields={fieldsOf(TrainingSchema)} />
      <h4>Generator optimizer (Adam)</h4>
      <Fields doc={doc} base={['training', 'generatorOptimizer']} fields={fieldsOf(OptimizerSchema)} />
      <h4>Discriminator optimizer (Adam)</h4>
      <Fields doc={doc} base={['training', 'discriminatorOptimizer']} fields={fieldsOf(OptimizerSchema)} />
      <p className="muted small">SAGAN's TTUR: lr 1e-4 for G, 4e-4 for D, β1 = 0, β2 = 0.9, one D step per G step.</p>
      <h4>EMA of generator weights</h4>
      <Fields doc={doc} base={['training', 'ema']} fields={fieldsOf(emaSchema as z.ZodObject)} />
    </div>
  );
}

/** Checks the whole document's settings with its schema before an edit is applied, and says why not. */
function useSettingCommit() {
  const studio = useStudio();
  return (path: SettingPath, value: unknown): string | undefined => {
    const command = setSetting(path, value);
    const outcome = command.run(studio.editor.getState().doc);
    if ('refused' in outcome) return outcome.refused;
    const parsed = GraphDocumentSchema.safeParse(outcome.doc);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return issue.message.replace(/^Invalid input: /, '');
    }
    const result = studio.editor.getState().execute(command);
    return result.ok ? undefined : result.reason;
  };
}

function Fields({ doc, base, fields }: { doc: GraphDocument; base: SettingPath; fields: FieldSpec[] }) {
  const commit = useSettingCommit();
  return (
    <>
      {fields
        .filter((f) => f.kind !== 'const')
        .map((f) => {
          const path = [...base, f.key] as unknown as SettingPath;
          return (
            <FieldInput
              key={path.join('.')}
              field={f}
              label={labels[f.key] ?? f.key}
              value={getSetting(doc, path)}
              onCommit={(v) => commit(path, v)}
              testId={path.join('-')}
            />
          );
        })}
    </>
  );
}

function DatasetSource({ doc }: { doc: GraphDocument }) {
  const commit = useSettingCommit();
  const source = doc.dataset.source;
  return (
    <>
      <FieldInput
        field={{
          kind: 'enum',
          key: 'kind',
          options: ['mnist', 'folder'],
          required: true,
          help: 'mnist: the built-in handwritten digits (28×28, padded to the image size). folder: your own images, one sub-folder per class.',
        }}
        label="Source"
        value={source.kind}
        testId="dataset-source"
        onCommit={(kind) =>
          commit(
            ['dataset', 'source'],
            kind === 'folder'
              ? { kind: 'folder', path: source.kind === 'folder' ? source.path : 'datasets/my-images' }
              : { kind: 'mnist' },
          )
        }
      />
      {source.kind === 'folder' && (
        <FieldInput
          field={{
            kind: 'text',
            key: 'path',
            minLength: 1,
            required: true,
            help: 'Folder of images on the machine that trains (relative to the documents folder, or absolute).',
          }}
          label="Image folder"
          value={source.path}
          testId="dataset-source"
          onCommit={(path) => commit(['dataset', 'source'], { kind: 'folder', path })}
        />
      )}
    </>
  );
}
