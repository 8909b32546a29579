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
 * the SVG ourselves, so the cycle can carry its colour and the e2e test can read it):
 *  - a deadlock as a ring in cycle order, thread, lock, thread, lock, ..., the way the
 *    textbooks draw a wait-for cycle, stretched to an ellipse to use a wide, short panel; any
 *    other waiter on an outer ring;
 *  - otherwise layers from left to right: waiting threads, the locks they wait for, the holders.
 */
export async function layoutWaitFor(
  g: WaitForGraph,
  nodeSize: (id: string) => GraphSize,
  panel: GraphSize,
): Promise<PlacedNode[]> {
  const cy = (await cytoscape())({ headless: true, styleEnabled: true });
  try {
    const inCycle = new Set<string>();
    const order: string[] = [];
    if (g.cycle) {
      g.cycle.threads.forEach((t, i) => {
        order.push(threadNodeId(t), lockNodeId(g.cycle!.locks[i]));
      });
      for (const id of order) inCycle.add(id);
    }
    const ids = [
      ...order,
      ...g.threads.map((t) => threadNodeId(t.lane)).filter((id) => !inCycle.has(id)),
      ...g.locks.map((l) => lockNodeId(l.key)).filter((id) => !inCycle.has(id)),
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

    const maxW = Math.max(...ids.map((id) => nodeSize(id).widthPx));
    const maxH = Math.max(...ids.map((id) => nodeSize(id).heightPx));
    const cx = panel.widthPx / 2;
    const cyPx = panel.heightPx / 2;
    if (g.cycle) {
      // Unit circle from cytoscape, then the panel's ellipse, less half a node each side.
      const rx = Math.max(maxW, panel.widthPx / 2 - maxW / 2 - 8);
      const ry = Math.max(maxH, panel.heightPx / 2 - maxH / 2 - 6);
      // Threads waiting outside the cycle go on an outer ring, the cycle inside it.
      const inner = ids.length > order.length ? 0.62 : 1;
      cy.layout({
        name: 'concentric',
        concentric: (n) => (inCycle.has(n.id()) ? 2 : 1),
        levelWidth: () => 1,
        minNodeSpacing: 0,
        avoidOverlap: false,
        startAngle: (3 / 2) * Math.PI,
        clockwise: true,
        animate: false,
        boundingBox: { x1: -100, y1: -100, w: 200, h: 200 },
        transform: (n, p) => {
          const r = Math.hypot(p.x, p.y) || 1;
          const ring = inCycle.has(n.id()) ? inner : 1;
          return { x: cx + (p.x / r) * rx * ring, y: cyPx + (p.y / r) * ry * ring };
        },
      }).run();
    } else {
      const roots = g.threads
        .filter((t) => !g.held.some((e) => e.thread === t.lane))
        .map((t) => threadNodeId(t.lane));
      // Laid out top to bottom in a box of the panel's transposed size, then turned on its side.
      cy.layout({
        name: 'breadthfirst',
        directed: true,
        roots: roots.length > 0 ? roots : undefined,
        spacingFactor: 1,
        avoidOverlap: true,
        grid: false,
        animate: false,
        boundingBox: { x1: 0, y1: 0, w: panel.heightPx, h: panel.widthPx },
        transform: (_n, p) => ({ x: p.y, y: p.x }),
      }).run();
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
