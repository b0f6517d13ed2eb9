import { notify } from '../app/ui-store';
import type { RunLibrary } from './run-library';
import type { TrainingContext } from './training-context';
import { isDesktop } from './training-context';
import { errorText, setBusy } from './training-store';

/** Writing a run's newest checkpoint out as a model folder. */
export class ModelExport {
  constructor(
    private readonly ctx: TrainingContext,
    private readonly library: RunLibrary,
  ) {}

  /** Exports a run's newest checkpoint: a native folder dialog on the desktop, the in-app one in a browser. */
  async exportRun(runId: string): Promise<void> {
    if (isDesktop(this.ctx)) {
      try {
        const { path } = await this.ctx.api.dialogs.chooseFolder({ title: 'Export the model to a folder' });
        if (path) await this.exportTo(runId, path);
        return;
      } catch {
        // No native dialog after all: fall through to the in-app one.
      }
    }
    this.ctx.store.setState({ dialog: { kind: 'export', runId } });
  }

  async exportTo(runId: string, outDir: string, format: 'tfjs' | 'pytorch' = 'tfjs'): Promise<boolean> {
    const { store, api, ui } = this.ctx;
    setBusy(store, runId, 'exporting');
    try {
      const result = await api.runs.export({ runId, outDir, format });
      const show = () =>
        void api.shell.showItem({ path: result.outDir }).catch((e: unknown) => notify(ui, 'error', errorText(e)));
      const what = format === 'pytorch' ? 'the PyTorch package' : 'the model';
      notify(ui, 'success', `Exported ${what} to ${result.outDir} (${result.files.length} files).`, {
        runId,
        ...(isDesktop(this.ctx) ? { action: { label: 'Show', run: show } } : {}),
      });
      return true;
    } catch (e) {
      notify(ui, 'error', errorText(e), { runId });
      return false;
    } finally {
      setBusy(store, runId, undefined);
    }
  }

  /** Export (menu): the watched run, else the document's newest run with a checkpoint. */
  async exportNewest(): Promise<void> {
    const { watched, runs, listLoaded, list } = this.ctx.store.getState();
    const run = watched ? runs[watched] : undefined;
    if (run && run.checkpointStep !== null) return this.exportRun(run.runId);
    const newest = (listLoaded ? list : await this.library.refreshList()).find((r) => r.checkpointStep !== null);
    if (newest) return this.exportRun(newest.id);
    notify(
      this.ctx.ui,
      'info',
      'Nothing to export yet: train the document first (Train → Start training…); a run with a checkpoint can be exported.',
    );
  }
}
