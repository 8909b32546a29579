import { describe, expect, it } from 'vitest';
import { Kind, NameCategory, decodeBatch, encodeBatch } from '../net/decode';
import { RunModel } from './run-model';
import { State } from './states';
import { ev, type Ev } from './test-events';

const FAMILY = 70;

function carrierRun(): RunModel {
  const model = new RunModel();
  model.append(
    decodeBatch(
      encodeBatch(0, [
        { ...ev(Kind.NAME, 0, 0, 1, NameCategory.THREAD, -1), text: 'ForkJoinPool-1-worker-1' },
        { ...ev(Kind.NAME, 0, 0, FAMILY, NameCategory.VIRTUAL_THREADS, -1), text: 'download' },
        ev(Kind.THREAD_START, 1, 0, 1, 900),
        ev(Kind.STATE, 1, 10, 0, State.IDLE),
        ev(Kind.VTHREAD_MOUNT, 1, 100, FAMILY, 4711),
        ev(Kind.VTHREAD_UNMOUNT, 1, 300, FAMILY, 4711),
        // Back to back: the next virtual thread mounts the moment the first unmounts.
        ev(Kind.VTHREAD_MOUNT, 1, 300, FAMILY, 4712),
        ev(Kind.VTHREAD_UNMOUNT, 1, 350, FAMILY, 4712),
        ev(Kind.VTHREAD_MOUNT, 1, 500, FAMILY, 4711), // 4711 again, after its I/O
      ]),
    ),
  );
  return model;
}

describe('virtual threads on a carrier', () => {
  it('draws RUNNING while mounted and IDLE between, one segment per mount', () => {
    const model = carrierRun();
    const t = model.threads.get(1)!;
    const n = t.materialize(600);
    const seg = t.segments;
    const rows = Array.from({ length: n }, (_, i) => [seg.startNs[i], seg.endNs[i], seg.state[i]]);
    expect(rows).toEqual([
      [0, 10, State.RUNNING],
      [10, 100, State.IDLE],
      [100, 300, State.RUNNING],
      [300, 350, State.RUNNING],
      [350, 500, State.IDLE],
      [500, 600, State.RUNNING], // mounted still, drawn up to now
    ]);
  });

  it('attributes each mount to its virtual thread and counts the distinct ones', () => {
    const model = carrierRun();
    const m = model.threads.get(1)!.mounts!;
    const n = m.materialize(600);
    expect(n).toBe(3);
    expect(Array.from(m.vtid.subarray(0, n))).toEqual([4711, 4712, 4711]);
    expect(m.indexAt(200, n)).toBe(0);
    expect(m.indexAt(320, n)).toBe(1);
    expect(m.indexAt(400, n)).toBe(-1); // between mounts: the carrier is free
    expect(m.indexAt(550, n)).toBe(2);
    expect(m.distinct.size).toBe(2);
    expect(model.nameOf(m.family[0], '')).toBe('download');
  });

  it('closes an open mount at RUN_END', () => {
    const model = carrierRun();
    model.append(decodeBatch(encodeBatch(model.eventCount, [ev(Kind.RUN_END, 0, 800, 0, 0, -1)])));
    const m = model.threads.get(1)!.mounts!;
    expect(m.mounted).toBe(false);
    expect(m.length).toBe(3);
    expect(m.endNs[2]).toBe(800);
  });

  it('keeps ten thousand mounts as columns and finds one by time', () => {
    const model = new RunModel();
    const events: Ev[] = [ev(Kind.THREAD_START, 1, 0, 0, 1)];
    for (let i = 0; i < 10_000; i++) {
      events.push(ev(Kind.VTHREAD_MOUNT, 1, i * 100 + 10, FAMILY, 1000 + i));
      events.push(ev(Kind.VTHREAD_UNMOUNT, 1, i * 100 + 60, FAMILY, 1000 + i));
    }
    model.append(decodeBatch(encodeBatch(0, events)));
    const t = model.threads.get(1)!;
    const m = t.mounts!;
    expect(m.length).toBe(10_000);
    expect(m.distinct.size).toBe(10_000);
    expect(m.vtid[m.indexAt(777_030, m.length)]).toBe(1000 + 7770);
    // A RUNNING segment per mount (the first one absorbs the start), an IDLE between each pair;
    // the IDLE after the last unmount is still open.
    expect(t.segments.length).toBe(2 * 10_000 - 1);
  });
});
