import { describe, expect, it } from 'vitest';
import { Kind, NameCategory, decodeBatch, encodeBatch } from '../net/decode';
import { JfrWaitKind, JfrWaits, describeJfrWait, splitJfrArg } from './jfr-waits';
import { RunModel } from './run-model';
import { State } from './states';
import { ev, name } from './test-events';

const arg = (durationNs: number, waitKind: number) => waitKind * 2 ** 48 + durationNs;

describe('JFR waits', () => {
  it('splits the arg into duration and kind, exactly up to 2^52', () => {
    expect(splitJfrArg(arg(3_200_000, JfrWaitKind.MONITOR_ENTER))).toEqual({
      durationNs: 3_200_000,
      waitKind: 0,
    });
    expect(splitJfrArg(arg(2 ** 48 - 1, JfrWaitKind.PARK))).toEqual({
      durationNs: 2 ** 48 - 1,
      waitKind: 2,
    });
  });

  it('keeps each lane sorted by start whatever order the waits arrive in', () => {
    const w = new JfrWaits();
    w.add(1, 500, 9, arg(100, 2));
    w.add(1, 100, 9, arg(50, 0));
    w.add(2, 50, 9, arg(10, 1));
    w.add(1, 300, 9, arg(100, 1));
    expect(w.of(1)!.items.map((x) => x.startNs)).toEqual([100, 300, 500]);
    expect(w.of(2)!.items).toHaveLength(1);
    expect(w.count).toBe(4);
  });

  it('finds the waits in a window, a long one that began before it included', () => {
    const w = new JfrWaits();
    w.add(1, 0, 9, arg(10_000, 2)); // long: 0..10000
    w.add(1, 20_000, 9, arg(100, 0));
    w.add(1, 30_000, 9, arg(100, 0));
    const l = w.of(1)!;
    expect([...l.overlapping(5_000, 20_050)].map((x) => x.startNs)).toEqual([0, 20_000]);
    expect(l.at(9_000)?.startNs).toBe(0);
    expect(l.at(15_000)).toBeNull();
    expect(l.at(19_990, 20)?.startNs).toBe(20_000);
  });

  it('says what was waited on, for how long, and that JFR saw it', () => {
    const w = new JfrWaits().add(1, 0, 9, arg(3_200_000, JfrWaitKind.MONITOR_ENTER));
    expect(describeJfrWait(w, 'java.lang.Object')).toBe(
      'blocked entering synchronized on java.lang.Object for 3.2 ms (JFR)',
    );
  });

  it('reaches the run model as an overlay: the lane keeps its traced states', () => {
    const m = new RunModel();
    m.append(
      decodeBatch(
        encodeBatch(0, [
          name(1, 'sync-1', NameCategory.THREAD),
          ev(Kind.THREAD_START, 1, 0, 1, 900, 3),
          ev(Kind.STATE, 1, 1_000, 0, State.RUNNING, 3),
        ]),
      ),
    );
    // Late, earlier in time than the lane's last event, and with no CPU.
    m.append(
      decodeBatch(
        encodeBatch(3, [
          name(7, 'java.lang.Object', NameCategory.JFR_CLASS),
          ev(Kind.JFR_WAIT, 1, 200, 7, arg(500, JfrWaitKind.MONITOR_ENTER), -1),
        ]),
      ),
    );
    const t = m.threads.get(1)!;
    const n = t.materialize(2_000);
    expect(Array.from(t.segments.state.subarray(0, n))).toEqual([State.RUNNING]);
    expect(t.cpu).toBe(3);
    const w = m.jfrWaits.of(1)!.items;
    expect(w).toEqual([{ startNs: 200, endNs: 700, classId: 7, waitKind: 0 }]);
    expect(m.kindsSeen.has(Kind.JFR_WAIT)).toBe(true);
  });
});
