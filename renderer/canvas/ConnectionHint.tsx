import { useConnection } from '@xyflow/react';
import type { NetworkName } from '../../graph-schemas';
import { checkConnection } from '../../graph-schemas';
import { useStudio } from '../app/studio';

/**
 * While a connection is dragged over a port that refuses it, says why, next to the cursor. `refuse` gives the
 * reason where the rules are not the network's (inside a block).
 */
export function ConnectionHint({
  network,
  refuse,
}: {
  network: NetworkName;
  refuse?: (from: HandleRef, to: HandleRef) => string | undefined;
}) {
  const studio = useStudio();
  const connection = useConnection();
  if (!connection.inProgress || connection.isValid !== false || !connection.toHandle) return null;
  const reason = refuse
    ? refuse(connection.fromHandle, connection.toHandle)
    : refusalReason(studio, network, connection.fromHandle, connection.toHandle);
  if (!reason) return null;
  return (
    <div
      className="connection-hint"
      role="alert"
      style={{ left: connection.pointer.x + 16, top: connection.pointer.y + 16 }}
    >
      {reason}
    </div>
  );
}

export interface HandleRef {
  nodeId: string;
  id?: string | null;
  type: 'source' | 'target';
}

export function refusalReason(
  studio: ReturnType<typeof useStudio>,
  network: NetworkName,
  from: HandleRef,
  to: HandleRef,
): string | undefined {
  if (from.type === to.type)
    return `Connect an output to an input (both of these are ${from.type === 'source' ? 'outputs' : 'inputs'}).`;
  const [src, dst] = from.type === 'source' ? [from, to] : [to, from];
  const verdict = checkConnection(
    studio.editor.getState().doc,
    network,
    { source: src.nodeId, sourcePort: src.id ?? 'out', target: dst.nodeId, targetPort: dst.id ?? 'in' },
    studio.validation.getState().report ?? undefined,
  );
  return verdict.ok ? undefined : verdict.reason;
}
