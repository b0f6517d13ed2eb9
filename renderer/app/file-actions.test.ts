import { describe, expect, it } from 'vitest';
import { findPreset } from '../../graph-schemas';
import { blankDocument } from '../files/blank-document';
import { createEditorStore } from '../store/document-store';
import { scriptedHost } from '../training/test-fakes';
import { startValidation } from '../validation/validation-store';
import { startFromPreset } from './file-actions';
import type { Studio } from './studio';

describe('file actions', () => {
  it('a new graph from a preset makes the status bar forget the finished run of the previous one', async () => {
    const fake = scriptedHost({
      'presets.get': () => findPreset('sagan-32')!.build(),
      'recovery.clear': () => ({}),
    });
    const editor = createEditorStore(blankDocument());
    const studio: Studio = {
      api: fake.api,
      ui: fake.ui,
      editor,
      validation: startValidation(editor, () => undefined, 0).store,
      training: fake.training,
    };
    fake.training.store.setState({ watched: 'r1' });
    fake.emit('r1', { type: 'stopped', step: 4, reason: 'finished', message: 'Run r1 finished.', checkpointStep: 4 });
    fake.frame();
    expect(fake.training.watchedRun()?.status).toBe('finished');
    expect(await startFromPreset(studio, 'sagan-32')).toBe(true);
    expect(editor.getState().doc.name).toBe(findPreset('sagan-32')!.build().name);
    expect(fake.training.watchedRun()).toBeUndefined();
  });
});
