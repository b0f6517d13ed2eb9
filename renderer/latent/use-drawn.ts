import { useEffect, useRef, useState } from 'react';
import type { LatentPictureWire, LatentSourceChoice, LatentViewChoice, StudioApi } from '../../graph-schemas';
import { errorText } from '../training/training-store';

/**
 * A view drawn by the engine, drawn again whenever the source or the view changes (a slider's burst of changes
 * draws once, after `delayMs`); the previous picture stays up meanwhile, and answers to superseded requests are dropped.
 */
export function useDrawn(
  api: StudioApi,
  source: LatentSourceChoice,
  view: LatentViewChoice | null,
  delayMs = 150,
): { picture: LatentPictureWire | null; pending: boolean; error: string | null } {
  const [state, setState] = useState<{ key: string; picture: LatentPictureWire | null; error: string | null }>({
    key: '',
    picture: null,
    error: null,
  });
  const asked = useRef(0);
  const key = view ? JSON.stringify([source, view]) : '';
  useEffect(() => {
    if (!key) return;
    const id = ++asked.current;
    const [src, v] = JSON.parse(key) as [LatentSourceChoice, LatentViewChoice];
    const timer = setTimeout(() => {
      api.latent.render({ source: src, view: v }).then(
        (picture) => id === asked.current && setState({ key, picture, error: null }),
        (e: unknown) => id === asked.current && setState((s) => ({ ...s, key, error: errorText(e) })),
      );
    }, delayMs);
    return () => clearTimeout(timer);
  }, [api, key, delayMs]);
  if (!view) return { picture: null, pending: false, error: null };
  return { picture: state.picture, pending: state.key !== key, error: state.key === key ? state.error : null };
}
