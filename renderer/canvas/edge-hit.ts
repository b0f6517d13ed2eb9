/**
 * The connection under a screen point inside `container`, for dropping a block into it. A node on top of
 * the edge wins (nothing is inserted), except the node being dragged itself.
 */
export function edgeAt(
  container: HTMLElement | null,
  clientX: number,
  clientY: number,
  ignoreNodeId?: string,
): string | undefined {
  if (!container) return undefined;
  for (const el of document.elementsFromPoint(clientX, clientY)) {
    if (!container.contains(el)) continue;
    const node = el.closest('.react-flow__node');
    if (node) {
      if (ignoreNodeId !== undefined && node.getAttribute('data-id') === ignoreNodeId) continue;
      return undefined;
    }
    const labelled = el.closest('[data-edge-id]');
    if (labelled) return labelled.getAttribute('data-edge-id') ?? undefined;
    const edge = el.closest('.react-flow__edge');
    if (edge) return edge.getAttribute('data-id') ?? undefined;
  }
  return undefined;
}
