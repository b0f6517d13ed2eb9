/** Short readable figures for the training view. */

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`
    : `${m}:${String(sec).padStart(2, '0')}`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

export function formatLoss(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return Math.abs(v) >= 100 ? v.toExponential(1) : v.toFixed(3);
}

export function formatRate(itPerSec: number | null | undefined): string {
  if (itPerSec === null || itPerSec === undefined || !Number.isFinite(itPerSec)) return '–';
  return itPerSec >= 10 ? itPerSec.toFixed(1) : itPerSec.toFixed(2);
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** γ that stays this small after this many steps means the network is not using its attention yet. */
export const GAMMA_UNUSED = { below: 0.01, afterSteps: 50 };

/** `peak` is the largest |γ| the node has had so far. */
export function attentionUnused(peak: number | undefined, step: number): boolean {
  return peak !== undefined && step >= GAMMA_UNUSED.afterSteps && peak < GAMMA_UNUSED.below;
}
