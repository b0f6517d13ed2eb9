import { useStudio, useUi } from './studio';
import { dismissToast } from './ui-store';

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
        >
          <div className="toast-message">{t.message}</div>
          {t.details && (
            <ul className="toast-details">
              {t.details.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          )}
          <button className="toast-close" aria-label="Dismiss" onClick={() => dismissToast(studio.ui, t.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
