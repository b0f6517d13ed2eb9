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

  /** Asks where and how to export a run's newest checkpoint: the Export dialog (format, then folder). */
  exportRun(runId: string): void {
    this.ctx.store.setState({ dialog: { kind: 'export', runId } });
  }

  /** The desktop's native folder dialog for the Export dialog; undefined in a browser (it has the app's own). */
  get chooseFolder(): (() => Promise<string | null>) | undefined {
    if (!isDesktop(this.ctx)) return undefined;
    return async () => (await this.ctx.api.dialogs.chooseFolder({ title: 'Export the model to a folder' })).path;
  }

  async exportTo(runId: string, outDir: string, format: 'tfjs' | 'pytorch' = 'tfjs'): Promise<boolean> {
    const { store, api, ui } = this.ctx;
    setBusy(store, runId, 'exporting');
    try {
      const result = await api.runs.export({ runId, outDir, format });
      const open = () =>
        void api.shell.showItem({ path: result.outDir }).catch((e: unknown) => notify(ui, 'error', errorText(e)));
      const copy = () => void copyPath(this.ctx, result.outDir);
      const what = format === 'pytorch' ? 'the PyTorch package' : 'the model';
      // The desktop opens the folder in the file manager (a browser cannot); both offer the path to paste elsewhere.
      const copyPathAction = { label: 'Copy path', run: copy };
      notify(ui, 'success', `Exported ${what} to ${result.outDir} (${result.files.length} files).`, {
        runId,
        ...(isDesktop(this.ctx)
          ? { action: { label: 'Open folder', run: open }, secondary: copyPathAction }
          : { action: copyPathAction }),
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

/** Puts a path on the system clipboard and says so; where the browser refuses, says the path to copy by hand. */
async function copyPath(ctx: TrainingContext, path: string): Promise<void> {
  try {
    if (!globalThis.navigator?.clipboard) throw new Error('no clipboard');
    await globalThis.navigator.clipboard.writeText(path);
    notify(ctx.ui, 'info', `Copied ${path} to the clipboard.`);
  } catch {
    notify(ctx.ui, 'info', `The browser did not allow copying; the folder is ${path}.`);
  }
}
