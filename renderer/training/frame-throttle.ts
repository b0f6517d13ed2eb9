/**
 * The training view is updated at most this often, however fast the run steps: each update costs the page a
 * layout and a paint, and on a 2-core machine the page's time comes out of the training thread's.
 */
export const MIN_UPDATE_INTERVAL_MS = 500;

/** Runs a flush later; the stream asks for one when events arrive and none is pending. */
export type Schedule = (flush: () => void) => void;

/**
 * Each flush on an animation frame (right away when the page is hidden), at least `minIntervalMs` after the
 * previous one. Every scheduler keeps its own clock, so two apps (or tests) never slow each other down.
 */
export function frameThrottle(minIntervalMs = MIN_UPDATE_INTERVAL_MS): Schedule {
  let lastFlush = -Infinity;
  return (flush) => {
    const wait = Math.max(0, lastFlush + minIntervalMs - performance.now());
    setTimeout(() => {
      const run = () => {
        lastFlush = performance.now();
        flush();
      };
      const visible =
        typeof requestAnimationFrame === 'function' &&
        typeof document !== 'undefined' &&
        document.visibilityState === 'visible';
      if (visible) requestAnimationFrame(run);
      else run();
    }, wait);
  };
}
