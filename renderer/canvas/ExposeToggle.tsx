import { useStudio } from '../app/studio';
import { notify } from '../app/ui-store';
import { exposeInnerParam, unexposeInnerParam } from '../store/expose-edits';

/**
 * Beside a part's param inside a block of this document: "Set on each use" exposes it (each use then has its own
 * value, starting at this one); "Same for every use" stops exposing it, keeping its default inside.
 */
export function ExposeToggle({
  type,
  innerId,
  param,
  exposedAs,
}: {
  type: string;
  innerId: string;
  param: string;
  /** The block's param that sets it, when exposed. */
  exposedAs?: string | undefined;
}) {
  const studio = useStudio();
  const run = () => {
    const command = exposedAs ? unexposeInnerParam(type, exposedAs) : exposeInnerParam(type, innerId, param);
    const result = studio.editor.getState().execute(command);
    notify(studio.ui, result.ok ? 'info' : 'warning', result.ok ? (result.note ?? 'Done.') : result.reason);
  };
  return (
    <button
      type="button"
      className="button small expose-toggle"
      data-testid={exposedAs ? 'unexpose-param' : 'expose-param'}
      data-param={param}
      title={
        exposedAs
          ? `Every use gets the block's default for ${param} again, baked into ${innerId}.`
          : `Each use of the block sets ${param} of ${innerId} for itself, starting at this value.`
      }
      onClick={run}
    >
      {exposedAs ? 'Same for every use' : 'Set on each use'}
    </button>
  );
}
