import type { LatentSourceChoice, LatentViewChoice, StudioApi } from '../../graph-schemas';
import { notify } from '../app/ui-store';
import type { UiStore } from '../app/ui-store';

/**
 * Saves a drawn view as PNG, encoded by the engine: on the desktop where the user picks in the native save dialog
 * (the engine writes the file); in a browser as a download.
 */
export async function savePicture(
  deps: { api: StudioApi; ui: UiStore },
  source: LatentSourceChoice,
  view: LatentViewChoice,
  scale: number,
  fileName: string,
): Promise<void> {
  const { api, ui } = deps;
  const host = ui.getState().host;
  if (host?.kind === 'desktop') {
    let chosen: string | null | undefined;
    try {
      const sep = host.pathSeparator;
      chosen = (
        await api.dialogs.saveFile({
          title: 'Save the picture as PNG',
          defaultPath: `${host.documentsDir}${sep}${fileName}`,
          filters: [{ name: 'PNG image', extensions: ['png'] }],
        })
      ).path;
    } catch {
      chosen = undefined; // no native dialog after all: download it instead
    }
    if (chosen === null) return;
    if (chosen !== undefined) {
      const path = /\.png$/i.test(chosen) ? chosen : `${chosen}.png`;
      const saved = await api.latent.save({ source, view, scale, path });
      notify(ui, 'success', `Saved ${saved.path} (${Math.ceil(saved.bytes / 1024)} KB).`);
      return;
    }
  }
  const picture = await api.latent.render({ source, view, scale });
  const link = document.createElement('a');
  link.href = `data:image/png;base64,${picture.pngBase64}`;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  notify(ui, 'success', `Downloaded ${fileName} (${picture.width * scale}×${picture.height * scale}).`);
}
