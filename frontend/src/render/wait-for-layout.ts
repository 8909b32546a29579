import type { WaitForGraph } from '../model/wait-for';

/** A node placed by the layout: its centre and size, in the panel's pixels. */
export interface PlacedNode {
  id: string;
  xPx: number;
  yPx: number;
  widthPx: number;
  heightPx: number;
}

export interface GraphSize {
  widthPx: number;
  heightPx: number;
}

export const threadNodeId = (lane: number) => `thread:${lane}`;
export const lockNodeId = (key: number) => `lock:${key}`;

type Cytoscape = typeof import('cytoscape');
let loading: Promise<Cytoscape> | null = null;

/**
 * Cytoscape.js (MIT, about 140 kB gzipped) is loaded the first time a graph is laid out, so
 * the dashboard's first paint does not pay for it: most runs never show a wait-for graph.
 */
function cytoscape(): Promise<Cytoscape> {
  loading ??= import('cytoscape').then((m) => m.default);
  return loading;
}

/**
 * Places the graph's nodes in a panel of `size`, with cytoscape's layouts run headless (we draw
 * the SVG ourselves, so the cycle can carry its colour and the e2e test can read it). Each
 * connected part of the graph gets a slice of the panel's width, in proportion to its nodes:
 *  - a part with a deadlock as a ring in cycle order, thread, lock, thread, lock, ..., as the
 *    textbooks draw a wait-for cycle (other waiters and holders of a lock beside it), stretched
 *    to an ellipse to use a wide, short panel;
 *  - any other part in layers from left to right: waiting threads, the locks they wait for,
 *    their holders (and what those wait for).
 */
export async function layoutWaitFor(
  g: WaitForGraph,
  nodeSize: (id: string) => GraphSize,
  panel: GraphSize,
): Promise<PlacedNode[]> {
  const cy = (await cytoscape())({ headless: true, styleEnabled: true });
  try {
    const ids = [
      ...g.threads.map((t) => threadNodeId(t.lane)),
      ...g.locks.map((l) => lockNodeId(l.key)),
    ];
    cy.add(
      ids.map((id) => {
        const s = nodeSize(id);
        return { group: 'nodes' as const, data: { id, w: s.widthPx, h: s.heightPx } };
      }),
    );
    cy.add([
      ...g.waits.map((e) => ({
        group: 'edges' as const,
        data: { id: e.id, source: threadNodeId(e.thread), target: lockNodeId(e.lock) },
      })),
      ...g.held.map((e) => ({
        group: 'edges' as const,
        data: { id: e.id, source: lockNodeId(e.lock), target: threadNodeId(e.thread) },
      })),
    ]);
    cy.style().selector('node').style({ width: 'data(w)', height: 'data(h)' }).update();

    const ring = ringOrder(g);
    const rank = new Map(ring.map((id, i) => [id, i]));
    const parts = cy.elements().components();
    const weight = (part: (typeof parts)[number]) =>
      part.nodes().reduce((sum, n) => sum + nodeSize(n.id()).widthPx, 0);
    const total = parts.reduce((sum, p) => sum + weight(p), 0);
    let x1 = 0;
    for (const part of parts) {
      const partIds = part.nodes().map((n) => n.id());
      // A ring needs room for its widest node at both ends of its ellipse.
      const ringMaxW = Math.max(...partIds.map((id) => nodeSize(id).widthPx));
      const ringW = partIds.some((id) => rank.has(id))
        ? 2 * ringRx(ringMaxW, partIds.length) + ringMaxW + 12
        : 0;
      const w = Math.max(ringW, (panel.widthPx * weight(part)) / total);
      const box = { x1, y1: 0, w, h: panel.heightPx };
      x1 += w;
      const nodes = part.nodes();
      const nodeIds = nodes.map((n) => n.id());
      if (nodeIds.some((id) => rank.has(id))) {
        const maxW = Math.max(...nodeIds.map((id) => nodeSize(id).widthPx));
        const maxH = Math.max(...nodeIds.map((id) => nodeSize(id).heightPx));
        const cx = box.x1 + w / 2;
        const cyPx = box.h / 2;
        // Never so tight that neighbours on the ring touch (at its top and bottom they sit
        // side by side, at its ends one above the other): the drawing's view box scales a ring
        // that outgrows its slice down rather than letting nodes overlap.
        const step = Math.sin((2 * Math.PI) / Math.max(4, partIds.length));
        const rx = Math.max(ringRx(maxW, partIds.length), w / 2 - maxW / 2 - 6);
        const ry = Math.max((maxH + 6) / step, box.h / 2 - maxH / 2 - 4);
        // Cytoscape's circle, from the top, clockwise, made the part's ellipse. It places the
        // nodes in the order of the collection it is given (its `sort` option goes unused in
        // 3.34's placement), so the collection is sorted first.
        nodes
          .sort((a, b) => (rank.get(a.id()) ?? 1e9) - (rank.get(b.id()) ?? 1e9))
          .layout({
            name: 'circle',
            startAngle: (3 / 2) * Math.PI,
            clockwise: true,
            avoidOverlap: false,
            radius: 100,
            animate: false,
            boundingBox: { x1: -100, y1: -100, w: 200, h: 200 },
            transform: (_n, p) => ({ x: cx + (p.x / 100) * rx, y: cyPx + (p.y / 100) * ry }),
          })
          .run();
      } else {
        const roots = nodes
          .filter((n) => n.id().startsWith('thread:') && n.incomers('edge').length === 0)
          .map((n) => n.id());
        // Laid out top to bottom in the slice turned on its side, then turned back.
        part
          .layout({
            name: 'breadthfirst',
            directed: true,
            roots: roots.length > 0 ? roots : undefined,
            spacingFactor: 1,
            avoidOverlap: true,
            grid: false,
            animate: false,
            boundingBox: { x1: 0, y1: 0, w: box.h, h: w },
            transform: (_n, p) => ({ x: box.x1 + p.y, y: p.x }),
          })
          .run();
      }
    }
    return ids.map((id) => {
      const p = cy.getElementById(id).position();
      const s = nodeSize(id);
      return { id, xPx: p.x, yPx: p.y, widthPx: s.widthPx, heightPx: s.heightPx };
    });
  } finally {
    cy.destroy();
  }
}

/**
 * The least horizontal half-axis of a ring of `n` nodes at most `maxW` wide. Four nodes (two
 * threads, two locks) sit at the ends of the axes, kept apart by the vertical half-axis, so
 * they only need room for the edges between them; more nodes need their neighbours side by
 * side at the top and bottom of the ring.
 */
function ringRx(maxW: number, n: number): number {
  if (n <= 4) return 0.75 * maxW + 10;
  return (maxW + 10) / Math.sin((2 * Math.PI) / n);
}

/**
 * The order around a deadlock's ring: each thread of the cycle, then the lock it waits for,
 * then whoever else waits for or holds that lock, so that they sit beside it.
 */
function ringOrder(g: WaitForGraph): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    out.push(id);
  };
  for (const c of g.cycles) {
    c.threads.forEach((t, i) => {
      add(threadNodeId(t));
      const lock = c.locks[i];
      add(lockNodeId(lock));
      for (const e of g.waits) if (e.lock === lock) add(threadNodeId(e.thread));
      for (const e of g.held) if (e.lock === lock) add(threadNodeId(e.thread));
    });
  }
  return out;
}
