import type { DeadlockInfo, RunModel } from '../model/run-model';
import { reportedCycle, type WaitForCycle } from '../model/wait-for';
import type { Lane } from './lane';
import type { LaneLayout } from './layout';
import { LockLane } from './lock-lane';
import { DEADLOCK_COLOR, type CanvasTheme } from './theme';
import { ThreadLane } from './thread-lane';
import type { Viewport } from './viewport';

/** Reported cycles as they stood when reported: found once, since they never change. */
const cycles = new WeakMap<DeadlockInfo, WaitForCycle>();

function cycleOf(m: RunModel, d: DeadlockInfo): WaitForCycle | null {
  let c = cycles.get(d);
  if (!c) {
    // Null while a live run's lock lanes have not caught up yet: tried again next frame.
    const found = reportedCycle(m, d);
    if (!found) return null;
    cycles.set(d, (c = found));
  }
  return c;
}

/**
 * Where each reported deadlock closed, on the lanes of its threads and locks only: a heavy
 * bar in the deadlock colour at the moment the last of its waits began, and a light band from
 * there to the report (the dashed line across all lanes), the time the cycle stood unseen.
 * Drawn in lane coordinates (x = 0 at the lanes' left edge).
 */
export function drawDeadlockCloses(
  ctx: CanvasRenderingContext2D,
  m: RunModel,
  lanes: readonly Lane[],
  layout: LaneLayout,
  vp: Viewport,
  widthPx: number,
  theme: CanvasTheme,
): void {
  for (const d of m.deadlocks) {
    const c = cycleOf(m, d);
    if (!c) continue;
    const x0 = vp.timeToPx(c.closedNs);
    const x1 = vp.timeToPx(c.detectedNs);
    if (x1 < -4 || x0 > widthPx + 4) continue;
    const threads = new Set(c.threads);
    const locks = new Set(c.locks);
    for (const p of layout.placements) {
      const lane = lanes[p.index];
      const hit =
        (lane instanceof ThreadLane && threads.has(lane.thread.id)) ||
        (lane instanceof LockLane && locks.has(lane.lock.key));
      if (!hit) continue;
      ctx.globalAlpha = 0.22;
      ctx.fillStyle = DEADLOCK_COLOR;
      ctx.fillRect(x0, p.yPx + 2, Math.max(0, x1 - x0), p.heightPx - 4);
      ctx.globalAlpha = 1;
      ctx.fillRect(Math.round(x0) - 2 * theme.scale, p.yPx + 1, 4 * theme.scale, p.heightPx - 2);
    }
  }
}
