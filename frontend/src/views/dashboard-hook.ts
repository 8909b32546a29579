import type { WaitForSnapshot } from '../ui/wait-for-panel';

/** What the e2e script reads (window.__threadline); read-only views of the page's state. */
export interface TestHook {
  lanes(): { id: string; name: string; segmentCount: number; taskCount: number }[];
  status(): string | null;
  runId(): string | null;
  eventCount(): number;
  figures(): { name: string; value: unknown; unit: string | null }[];
  /** Event time to the page's model, in ms, over the events that came live (LiveLag). */
  liveLag(): { count: number; p50: number; p99: number; max: number };
  /**
   * Events applied to the model: per 10 ms of the run's time (generated) and of arrival
   * (arrived), and the time spent applying them (Throughput): the pipeline benchmark.
   */
  throughput(): {
    events: number;
    liveEvents: number;
    batches: number;
    applyMs: number;
    bucketMs: number;
    generated: number[];
    arrived: number[];
    /** The busiest `windowMs` of a series: events per second, and where it starts (ms). */
    peak(series: 'generated' | 'arrived', windowMs: number): { perSecond: number; atMs: number };
  };
  ended(): boolean;
  /** Deadlocks as the banner states them ("a waits for L held by b, ..."). */
  deadlocks(): string[];
  counters(): { id: number; name: string; points: number; max: number }[];
  /** Steal events received, and arrows drawn / left out in the last frame. */
  steals(): { total: number; drawn: number; skipped: number };
  /** Index of the highlighted source line, -1 for none. */
  sourceLine(): number;
  /** The wait-for graph as last drawn, null when none is shown. */
  waitFor(): WaitForSnapshot | null;
  /** The breakdown table as shown: its range line and its rows' threads, in table order. */
  breakdown(): { range: string; rows: { thread: number; name: string; source: string }[] };
  /** The replay: whether one is shown or playing, its playhead, speed and events applied. */
  replay(): {
    replaying: boolean;
    playing: boolean;
    clockNs: number | null;
    speed: number;
    eventCount: number;
    fullEventCount: number;
  };
  /** The open recording's notes, by time, and the flags drawn in the timeline's last frame. */
  notes(): { id: string; tNs: number; text: string }[];
  noteFlags(): number;
  /**
   * The timeline's frames from number `from` on (draw start and length, ms), how many it has
   * drawn, and when it first drew the whole of a finished run (NaN before): the render benchmark.
   */
  frames(from: number): { count: number; completeMs: number; startMs: number[]; drawMs: number[] };
}

declare global {
  interface Window {
    __threadline?: TestHook;
  }
}
