import { useEffect, useState } from 'react';
import type { PresetSummary, RecentFile } from '../../graph-schemas';
import { startFromPreset, openPath } from '../app/file-actions';
import { Modal } from '../app/Modal';
import { useStudio } from '../app/studio';

const groupOrder = ['SAGAN', 'Small', 'Baselines', 'Ablation: attention placement'];

/** The presets gallery (also the welcome screen): new from a preset, a blank graph, or a recent file. */
export function PresetGallery({ welcome }: { welcome: boolean }) {
  const studio = useStudio();
  const [presets, setPresets] = useState<PresetSummary[] | null>(null);
  const [recent, setRecent] = useState<RecentFile[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    studio.api.presets.list().then(setPresets, (e: Error) => setError(`Could not list the presets: ${e.message}`));
    studio.api.files.recent().then(setRecent, () => setRecent([]));
  }, [studio]);
  const close = () => studio.ui.setState({ dialog: null });
  const choose = async (name: string | null) => {
    setBusy(true);
    close();
    await startFromPreset(studio, name);
    setBusy(false);
  };
  const groups = groupOrder
    .map((g) => ({ group: g, items: (presets ?? []).filter((p) => p.group === g) }))
    .filter((g) => g.items.length);
  // The welcome screen puts the recent files first, so they show without scrolling (the presets follow).
  const recentFirst = welcome && recent.length > 0;
  const openCards = (
    <>
      <button className="preset-card blank" onClick={() => studio.ui.setState({ dialog: { kind: 'open' } })}>
        <strong>Open a file…</strong>
        <span>A .sagan.json graph saved before.</span>
      </button>
      {recent.slice(0, 4).map((r) => (
        <button
          key={r.path}
          className="preset-card recent"
          title={r.path}
          onClick={() => {
            close();
            void openPath(studio, r.path);
          }}
        >
          <strong>{r.name}</strong>
          <span>Recent · {new Date(r.openedAt).toLocaleString()}</span>
        </button>
      ))}
    </>
  );
  return (
    <Modal title={welcome ? 'Welcome to SAGAN Studio' : 'New from preset'} onClose={close} wide testId="preset-gallery">
      {welcome && (
        <p className="lead">
          Compose a GAN's generator and discriminator from blocks, see every tensor shape and parameter count as you go,
          and save it to train.{' '}
          {recentFirst ? 'Go on with a recent file, or start from a preset:' : 'Start from a preset:'}
        </p>
      )}
      {recentFirst && (
        <section className="gallery-group" data-testid="recent-files">
          <h3>Recent files</h3>
          <div className="gallery">{openCards}</div>
        </section>
      )}
      {error && <p className="field-error">{error}</p>}
      {!presets && !error && <p className="muted">Loading presets…</p>}
      {groups.map(({ group, items }) => (
        <section key={group} className="gallery-group">
          <h3>{group}</h3>
          <div className="gallery">
            {items.map((p) => (
              <button
                key={p.name}
                className="preset-card"
                disabled={busy}
                onClick={() => void choose(p.name)}
                data-preset={p.name}
              >
                <strong>{p.title}</strong>
                <span>{p.summary}</span>
                <code>{p.name}</code>
              </button>
            ))}
          </div>
        </section>
      ))}
      <section className="gallery-group">
        <h3>Other ways to start</h3>
        <div className="gallery">
          <button className="preset-card blank" disabled={busy} onClick={() => void choose(null)} data-preset="blank">
            <strong>Blank graph</strong>
            <span>Only the inputs and outputs of G and D; build the rest from the palette.</span>
          </button>
          {!recentFirst && openCards}
        </div>
      </section>
    </Modal>
  );
}
