import { useStudio, useUi } from './studio';
import { dismissToast } from './ui-store';

/** The app's messages, bottom right: the newest last; errors stay until dismissed. */
export function Toasts() {
  const studio = useStudio();
  const toasts = useUi((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div
          key={t.id}
          className={`toast toast-${t.level}`}
          role={t.level === 'error' ? 'alert' : 'status'}
          data-level={t.level}
          data-run-id={t.runId}
          data-testid="toast"
        >
          <div className="toast-message">{t.message}</div>
          {t.details && (
            <ul className="toast-details">
              {t.details.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          )}
          {[t.action, t.secondary].map(
            (action, i) =>
              action && (
                <button
                  key={i}
                  className="button small toast-action"
                  onClick={() => {
                    action.run();
                    dismissToast(studio.ui, t.id);
                  }}
                >
                  {action.label}
                </button>
              ),
          )}
          <button className="toast-close" aria-label="Dismiss" onClick={() => dismissToast(studio.ui, t.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
