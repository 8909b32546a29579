// Dev-only synthetic runs with child processes and virtual threads (docs/events.md kinds 21-24),
// for mock-server.mjs: two children of which one crashes, and thousands of virtual threads on
// two carriers. The timings are made up; the shapes are those the real scenarios produce.
const K = {
  RUN_START: 0,
  NAME: 2,
  THREAD_START: 3,
  THREAD_END: 4,
  STATE: 5,
  SPAN_BEGIN: 13,
  SPAN_END: 14,
  PROCESS_START: 21,
  PROCESS_END: 22,
  VTHREAD_MOUNT: 23,
  VTHREAD_UNMOUNT: 24,
};
const S = { RUNNING: 0, RUNNABLE: 1, WAITING: 3, SLEEPING: 4, IO: 5, IDLE: 6 };
const C = { THREAD: 0, SPAN: 4, PROCESS: 14, VIRTUAL_THREADS: 15 };
const MS = 1e6;
const TWO_32 = 2 ** 32;

class Trace {
  ev = [];
  next = 100;
  constructor() {
    this.add(0, K.RUN_START, 0, 0, Date.now(), -1);
  }
  add(t, kind, thread, obj = 0, arg = 0, cpu = 0, text) {
    this.ev.push({ t: Math.round(t), kind, thread, obj, arg, cpu, text });
  }
  name(text, category) {
    const id = this.next++;
    this.add(0, K.NAME, 0, id, category, -1, text);
    return id;
  }
  /** THREAD_START with the process id above the OS tid (docs/events.md). */
  thread(lane, name, t, processId = 0, tid = 7000 + lane) {
    this.add(
      t,
      K.THREAD_START,
      lane,
      this.name(name, C.THREAD),
      processId * TWO_32 + tid,
      lane % 2,
    );
  }
}

/** A thread alternating CPU work and sleeps from `t0` to `t1`, deterministic per lane. */
function busy(tr, lane, t0, t1, cpuMs, sleepMs) {
  let t = t0;
  let k = lane;
  while (t < t1) {
    tr.add(t, K.STATE, lane, 0, S.RUNNING, lane % 2);
    t += cpuMs * MS * (0.7 + (0.6 * ((k * 37) % 10)) / 10);
    if (t >= t1) break;
    tr.add(t, K.STATE, lane, 0, S.SLEEPING, lane % 2);
    t += sleepMs * MS * (0.6 + (0.8 * ((k * 53) % 10)) / 10);
    k++;
  }
}

function childProcesses() {
  const tr = new Trace();
  const w1 = tr.name('worker-1', C.PROCESS);
  const w2 = tr.name('worker-2', C.PROCESS);
  const phase = tr.name('children running', C.SPAN);
  tr.thread(1, 'main', 0);
  tr.thread(2, 'process reaper', 0.4 * MS);
  tr.add(0.5 * MS, K.STATE, 2, 0, S.WAITING);
  tr.add(2 * MS, K.PROCESS_START, 1, w1, 4242);
  tr.add(2 * MS, K.SPAN_BEGIN, 1, phase, 1);
  tr.add(3.5 * MS, K.PROCESS_START, 1, w2, 4243);
  tr.add(4 * MS, K.STATE, 1, 0, S.WAITING);
  // worker-1: a JVM start of ~38 ms, three threads, a clean exit at 170 ms.
  tr.thread(3, 'main', 40.2 * MS, w1, 4250);
  tr.thread(4, 'pool-1-thread-1', 43 * MS, w1, 4253);
  tr.thread(5, 'pool-1-thread-2', 43.4 * MS, w1, 4254);
  busy(tr, 3, 40.2 * MS, 46 * MS, 3, 1);
  tr.add(46 * MS, K.STATE, 3, 0, S.WAITING);
  busy(tr, 4, 43 * MS, 160 * MS, 6, 2);
  busy(tr, 5, 43.4 * MS, 158 * MS, 5, 3);
  tr.add(160 * MS, K.THREAD_END, 4);
  tr.add(158 * MS, K.THREAD_END, 5);
  tr.add(164 * MS, K.STATE, 3, 0, S.RUNNING);
  tr.add(168 * MS, K.THREAD_END, 3);
  tr.add(170 * MS, K.PROCESS_END, 0, w1, 0, -1);
  tr.add(170.2 * MS, K.STATE, 2, 0, S.RUNNING);
  tr.add(170.6 * MS, K.STATE, 2, 0, S.WAITING);
  // worker-2: a slower start, two threads, and System.exit(3) at 96 ms (no THREAD_END).
  tr.thread(6, 'main', 45.1 * MS, w2, 4260);
  tr.thread(7, 'parser', 47 * MS, w2, 4262);
  busy(tr, 6, 45.1 * MS, 96 * MS, 4, 2);
  busy(tr, 7, 47 * MS, 96 * MS, 7, 1.5);
  tr.add(96 * MS, K.PROCESS_END, 0, w2, 3, -1);
  tr.add(96.3 * MS, K.STATE, 2, 0, S.RUNNING);
  tr.add(96.8 * MS, K.STATE, 2, 0, S.WAITING);
  tr.add(171 * MS, K.STATE, 1, 0, S.RUNNING);
  tr.add(171 * MS, K.SPAN_END, 1, phase, 1);
  tr.add(174 * MS, K.THREAD_END, 2);
  tr.add(176 * MS, K.THREAD_END, 1);
  return {
    tr,
    total: 178 * MS,
    figures: [
      { name: 'worker-1 spawn cost', value: 38.2, unit: 'ms' },
      { name: 'worker-2 spawn cost', value: 41.6, unit: 'ms' },
      { name: 'Children that failed', value: 1, unit: null },
    ],
  };
}

/** A minimal binary heap on `key`, for the carrier simulation below. */
class Heap {
  items = [];
  push(x) {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (a[p].key <= a[i].key) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop() {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].key < a[m].key) m = l;
        if (r < a.length && a[r].key < a[m].key) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
  get size() {
    return this.items.length;
  }
}

function virtualThreads(params) {
  const tr = new Trace();
  const n = params.virtualThreads ?? 2000;
  const carriers = params.carriers ?? 2;
  const family = tr.name('download', C.VIRTUAL_THREADS);
  tr.thread(1, 'main', 0);
  for (let c = 0; c < carriers; c++) {
    tr.thread(2 + c, `ForkJoinPool-1-worker-${c + 1}`, 0.3 * MS + c * 0.05 * MS);
    tr.add(0.4 * MS, K.STATE, 2 + c, 0, S.IDLE, c);
  }
  // Each virtual thread: a little CPU, a blocking download (it unmounts), a little CPU again.
  const ready = new Heap();
  for (let i = 0; i < n; i++) {
    const id = 3800 + i;
    ready.push({ key: 1 * MS + i * 0.05 * MS, id, phase: 0 });
  }
  tr.add(1 * MS, K.STATE, 1, 0, S.RUNNING);
  tr.add(1 * MS + n * 0.05 * MS, K.STATE, 1, 0, S.WAITING);
  const free = Array.from({ length: carriers }, () => 0.5 * MS);
  let last = 0;
  while (ready.size > 0) {
    const v = ready.pop();
    let c = 0;
    for (let k = 1; k < carriers; k++) if (free[k] < free[c]) c = k;
    const start = Math.max(free[c], v.key);
    const cpu = (0.005 + (((v.id * 7919) % 100) / 100) * (v.phase === 0 ? 0.02 : 0.05)) * MS;
    tr.add(start, K.VTHREAD_MOUNT, 2 + c, family, v.id, c);
    tr.add(start + cpu, K.VTHREAD_UNMOUNT, 2 + c, family, v.id, c);
    free[c] = start + cpu;
    last = Math.max(last, free[c]);
    if (v.phase === 0) {
      const io = (20 + (((v.id * 104729) % 100) / 100) * 60) * MS;
      ready.push({ key: start + cpu + io, id: v.id, phase: 1 });
    }
  }
  const end = last + 0.5 * MS;
  tr.add(end, K.STATE, 1, 0, S.RUNNING);
  tr.add(end + 0.3 * MS, K.THREAD_END, 1);
  return {
    tr,
    total: end + 0.5 * MS,
    figures: [
      { name: 'Virtual threads', value: n, unit: null },
      { name: 'Carriers', value: carriers, unit: 'threads' },
    ],
  };
}

const GROUP = 'Processes and virtual threads';

export const processCatalogue = [
  {
    id: 'child-processes',
    title: 'Child processes',
    summary: 'The runner starts two worker JVMs; one of them crashes.',
    group: GROUP,
    teaching:
      'Each child process gets its own group of lanes under a header row: its name, pid and how it ended.\n\nThe hatched part of the header is the start-up: from the spawn (the diamond on main) to the first thread of the child. That is what a new JVM costs before it does any work.\n\nworker-2 exits with status 3 while its threads are still running: its lanes all end there.',
    parameters: [],
    source: [],
    gen: childProcesses,
  },
  {
    id: 'virtual-threads',
    title: 'Virtual threads on carriers',
    summary: 'Thousands of virtual threads share two carrier threads.',
    group: GROUP,
    teaching:
      'Virtual threads have no lane of their own: they run on carrier threads, and the carrier lane is green while one is mounted.\n\nA virtual thread that blocks (here: a download) unmounts and frees its carrier for another one, so two carriers keep thousands of downloads going.\n\nZoom in: each mount names its virtual thread; hover one to see which and for how long.',
    parameters: [
      {
        name: 'virtualThreads',
        type: 'int',
        default: 2000,
        min: 1,
        max: 20000,
        unit: 'threads',
        description: 'Virtual threads started.',
      },
      {
        name: 'carriers',
        type: 'int',
        default: 2,
        min: 1,
        max: 8,
        unit: 'threads',
        description: 'Carrier threads (the scheduler parallelism).',
      },
    ],
    source: [],
    gen: virtualThreads,
  },
];
