// Dev-only synthetic runs for the scenario catalogue: counters, marks with a source excerpt,
// deadlocks, steals, rejects, signals and read/write locks. Used by mock-server.mjs.
export const K = {
  RUN_START: 0,
  RUN_END: 1,
  NAME: 2,
  THREAD_START: 3,
  THREAD_END: 4,
  STATE: 5,
  MIGRATE: 6,
  TASK_SUBMIT: 7,
  TASK_START: 8,
  TASK_END: 9,
  LOCK_REQUEST: 10,
  LOCK_ACQUIRE: 11,
  LOCK_RELEASE: 12,
  SPAN_BEGIN: 13,
  SPAN_END: 14,
  MARK: 15,
  COUNTER: 16,
  DEADLOCK: 17,
  STEAL: 18,
  REJECT: 19,
  SIGNAL: 20,
};
const S = { RUNNING: 0, RUNNABLE: 1, BLOCKED: 2, WAITING: 3, SLEEPING: 4, IO: 5, IDLE: 6 };
const C = { THREAD: 0, LOCK: 1, EXECUTOR: 2, TASK: 3, SPAN: 4, COUNTER: 5, MARK: 6, QUEUE: 7 };
const CONDITION = 8;
const SEMAPHORE = 9;
const MS = 1e6;

const threadsParam = (def, max = 16) => ({
  name: 'threads',
  type: 'int',
  default: def,
  min: 1,
  max,
  unit: 'threads',
  description: 'Threads taking part.',
});

/** Parses a source excerpt the way the server does (SourceLine.parse): `//@mark` at line end. */
function source(text) {
  return text.split('\n').map((line) => {
    const m = /\s*\/\/@([A-Za-z0-9_.-]+)\s*$/.exec(line);
    return m ? { code: line.slice(0, m.index), mark: m[1] } : { code: line, mark: null };
  });
}

class Trace {
  ev = [];
  next = 100;
  marks = new Map();
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
  thread(lane, name, t) {
    this.add(t, K.THREAD_START, lane, this.name(name, C.THREAD), 7000 + lane, lane % 2);
  }
  mark(lane, t, label) {
    let id = this.marks.get(label);
    if (id === undefined) this.marks.set(label, (id = this.name(label, C.MARK)));
    this.add(t, K.MARK, lane, id, 0, lane % 2);
  }
}

// ---------- two locks taken in opposite order ----------
const LOCK_ORDER_SRC = `Thread a = threads.start("thread-a", () -> {
  synchronized (lock1) {                       //@a-holds-1
    Work.cpu(millis);
    synchronized (lock2) {                     //@a-wants-2
      count++;
    }
  }
});
Thread b = threads.start("thread-b", () -> {
  synchronized (lock2) {                       //@b-holds-2
    Work.cpu(millis);
    synchronized (lock1) {                     //@b-wants-1
      count++;
    }
  }
});
a.join(); b.join();                            //@join`;

function lockOrder(params) {
  const tr = new Trace();
  const l1 = tr.name('lock-1', C.LOCK);
  const l2 = tr.name('lock-2', C.LOCK);
  const work = (params.workMillis ?? 20) * MS;
  tr.thread(1, 'main', 0);
  tr.mark(1, 0.05 * MS, 'join');
  tr.add(0.1 * MS, K.STATE, 1, 0, S.WAITING);
  tr.thread(2, 'thread-a', 0.2 * MS);
  tr.thread(3, 'thread-b', 0.25 * MS);
  tr.add(0.3 * MS, K.LOCK_ACQUIRE, 2, l1, 1);
  tr.mark(2, 0.3 * MS, 'a-holds-1');
  tr.add(0.35 * MS, K.LOCK_ACQUIRE, 3, l2, 1);
  tr.mark(3, 0.35 * MS, 'b-holds-2');
  tr.mark(2, 0.3 * MS + work, 'a-wants-2');
  tr.add(0.3 * MS + work, K.LOCK_REQUEST, 2, l2);
  tr.mark(3, 0.35 * MS + work, 'b-wants-1');
  tr.add(0.35 * MS + work, K.LOCK_REQUEST, 3, l1);
  const found = 0.35 * MS + work + 1.2 * MS;
  tr.add(found, K.DEADLOCK, 0, 0, 2, -1, '2:' + l2 + ',3:' + l1);
  const total = found + 0.8 * work;
  return {
    tr,
    total,
    status: 1,
    error: 'Deadlock: the runner was stopped after the cycle was found.',
    figures: [{ name: 'Increments done', value: 0, unit: null }],
    deadlocks: [
      {
        threads: ['thread-a', 'thread-b'],
        objects: ['lock-2', 'lock-1'],
        cycle: `2:${l2},3:${l1}`,
        tNs: found,
      },
    ],
  };
}

// ---------- bounded queue: producers, consumers, depth and permits ----------
const QUEUE_SRC = `// producer
while (running) {
  Item item = produce();                       //@produce
  queue.put(item);   // waits while full      //@put
}
// consumer
while (running) {
  Item item = queue.take(); // waits if empty //@take
  consume(item);                               //@consume
}`;

function boundedQueue(params) {
  const tr = new Trace();
  const producers = Math.max(1, Math.floor((params.threads ?? 4) / 2));
  const consumers = Math.max(1, (params.threads ?? 4) - producers);
  const capacity = params.capacity ?? 5;
  const q = tr.name('jobs', C.QUEUE);
  const notEmpty = tr.name('jobs · not empty', CONDITION);
  const depth = tr.name('queue depth (jobs)', C.COUNTER);
  const permits = tr.name('free slots (permits)', C.COUNTER);
  tr.name('free slots', SEMAPHORE);
  tr.thread(1, 'main', 0);
  tr.add(0.05 * MS, K.STATE, 1, 0, S.WAITING);
  const lanes = [];
  for (let i = 0; i < producers; i++)
    lanes.push({ lane: 2 + i, kind: 'p', t: 0.1 * MS + i * 0.03 * MS });
  for (let i = 0; i < consumers; i++)
    lanes.push({ lane: 2 + producers + i, kind: 'c', t: 0.12 * MS + i * 0.03 * MS });
  for (const l of lanes)
    tr.thread(
      l.lane,
      l.kind === 'p' ? `producer-${l.lane - 1}` : `consumer-${l.lane - 1 - producers}`,
      l.t,
    );
  let size = 0;
  tr.add(0.1 * MS, K.COUNTER, 1, depth, 0);
  tr.add(0.1 * MS, K.COUNTER, 1, permits, capacity);
  const end = 60 * MS;
  // A simple discrete simulation: producers are faster than consumers, so the queue fills up.
  const waiting = { p: [], c: [] };
  const events = lanes.map((l) => ({ ...l, at: l.t }));
  let guard = 0;
  while (guard++ < 20000) {
    events.sort((a, b) => a.at - b.at);
    const e = events.find((x) => !x.blocked);
    if (!e || e.at > end) break;
    const t = e.at;
    if (e.kind === 'p') {
      tr.mark(e.lane, t, 'produce');
      tr.add(t, K.STATE, e.lane, 0, S.RUNNING, e.lane % 2);
      const t2 = t + (0.6 + 0.4 * Math.sin(t / MS)) * MS;
      tr.mark(e.lane, t2, 'put');
      if (size >= capacity) {
        tr.add(t2, K.STATE, e.lane, q, S.WAITING, e.lane % 2);
        e.blocked = true;
        e.at = t2;
        waiting.p.push(e);
        continue;
      }
      size++;
      tr.add(t2 + 0.02 * MS, K.COUNTER, e.lane, depth, size);
      tr.add(t2 + 0.02 * MS, K.COUNTER, e.lane, permits, capacity - size);
      tr.add(t2 + 0.03 * MS, K.SIGNAL, e.lane, notEmpty, 1);
      e.at = t2 + 0.05 * MS;
      const c = waiting.c.shift();
      if (c) {
        c.blocked = false;
        c.at = e.at + 0.02 * MS;
      }
    } else {
      tr.mark(e.lane, t, 'take');
      if (size === 0) {
        tr.add(t, K.STATE, e.lane, q, S.WAITING, e.lane % 2);
        e.blocked = true;
        waiting.c.push(e);
        continue;
      }
      size--;
      tr.add(t + 0.01 * MS, K.STATE, e.lane, 0, S.RUNNING, e.lane % 2);
      tr.add(t + 0.02 * MS, K.COUNTER, e.lane, depth, size);
      tr.add(t + 0.02 * MS, K.COUNTER, e.lane, permits, capacity - size);
      tr.mark(e.lane, t + 0.03 * MS, 'consume');
      tr.add(t + 0.05 * MS, K.STATE, e.lane, 0, S.SLEEPING, e.lane % 2);
      e.at = t + 1.7 * MS;
      tr.add(e.at - 0.01 * MS, K.STATE, e.lane, 0, S.RUNNING, e.lane % 2);
      const p = waiting.p.shift();
      if (p) {
        p.blocked = false;
        p.at = e.at;
        size++;
        tr.add(p.at + 0.02 * MS, K.STATE, p.lane, 0, S.RUNNING, p.lane % 2);
        tr.add(p.at + 0.03 * MS, K.COUNTER, p.lane, depth, size);
        tr.add(p.at + 0.03 * MS, K.COUNTER, p.lane, permits, capacity - size);
        p.at += 0.05 * MS;
      }
    }
  }
  for (const l of lanes) tr.add(end + 0.2 * MS, K.THREAD_END, l.lane);
  tr.add(end + 0.4 * MS, K.STATE, 1, 0, S.RUNNING);
  tr.add(end + 0.5 * MS, K.THREAD_END, 1);
  return {
    tr,
    total: end + 0.6 * MS,
    figures: [
      { name: 'Items produced', value: 120, unit: null },
      { name: 'Time producers waited (full queue)', value: 31.4, unit: 'ms' },
    ],
  };
}

// ---------- work stealing with a bounded submission queue ----------
const STEAL_SRC = `ForkJoinPool pool = new ForkJoinPool(workers);
for (int i = 0; i < tasks; i++) {
  try {
    pool.execute(task(i));                     //@submit
  } catch (RejectedExecutionException e) {
    rejected++;                                //@rejected
  }
}
// an idle worker takes from the tail of a busy worker's deque
Runnable t = victim.deque.pollLast();          //@steal`;

function workStealing(params) {
  const tr = new Trace();
  const workers = params.threads ?? 4;
  const tasks = params.tasks ?? 400;
  const exec = tr.name('fork-join pool', C.EXECUTOR);
  const queued = tr.name('queued tasks', C.COUNTER);
  tr.thread(1, 'main', 0);
  for (let w = 0; w < workers; w++) {
    tr.thread(2 + w, `worker-${w}`, 0.05 * MS + w * 0.01 * MS);
    tr.add(0.06 * MS + w * 0.01 * MS, K.STATE, 2 + w, exec, S.IDLE, w % 2);
  }
  // Everything starts on worker-0's deque; the others steal.
  const free = Array.from({ length: workers }, () => 0.2 * MS);
  let backlog = 0;
  const ids = [];
  for (let i = 0; i < tasks; i++) {
    const t = 0.1 * MS + i * 0.004 * MS;
    const id = tr.next++;
    if (i % 37 === 36) {
      tr.mark(1, t, 'rejected');
      tr.add(t, K.REJECT, 1, id, exec);
      continue;
    }
    tr.mark(1, t, 'submit');
    tr.add(t, K.TASK_SUBMIT, 1, id, exec);
    backlog++;
    tr.add(t, K.COUNTER, 1, queued, backlog);
    ids.push([id, t]);
  }
  tr.add(0.1 * MS + tasks * 0.004 * MS, K.STATE, 1, exec, S.WAITING);
  ids.forEach(([id, submitted], i) => {
    let w = 0;
    for (let k = 1; k < workers; k++) if (free[k] < free[w]) w = k;
    const lane = 2 + w;
    const start = Math.max(free[w], submitted) + 0.002 * MS;
    if (w !== 0) {
      tr.mark(lane, start, 'steal');
      tr.add(start, K.STEAL, lane, id, 2);
    }
    tr.add(start + 0.001 * MS, K.TASK_START, lane, id, exec, w % 2);
    backlog--;
    tr.add(start + 0.001 * MS, K.COUNTER, lane, queued, backlog);
    const dur = (0.05 + (0.1 * ((i * 7919) % 13)) / 13) * MS;
    tr.add(start + dur, K.TASK_END, lane, id, exec, w % 2);
    tr.add(start + dur, K.STATE, lane, exec, S.IDLE, w % 2);
    free[w] = start + dur;
  });
  const end = Math.max(...free) + 0.1 * MS;
  for (let w = 0; w < workers; w++) tr.add(end, K.THREAD_END, 2 + w);
  tr.add(end, K.STATE, 1, 0, S.RUNNING);
  tr.add(end + 0.05 * MS, K.THREAD_END, 1);
  return {
    tr,
    total: end + 0.1 * MS,
    figures: [
      { name: 'Tasks run', value: ids.length, unit: null },
      { name: 'Rejected', value: tasks - ids.length, unit: null },
    ],
  };
}

// ---------- read-write lock ----------
const RW_SRC = `ReadWriteLock rw = new ReentrantReadWriteLock();
// readers
rw.readLock().lock();                          //@read
try { return map.get(key); }
finally { rw.readLock().unlock(); }
// writer (re-enters the write lock in a helper)
rw.writeLock().lock();                         //@write
try { putAll(updates); /* locks again */ }     //@write-again
finally { rw.writeLock().unlock(); }`;

function rwLock(params) {
  const tr = new Trace();
  const readers = Math.max(2, (params.threads ?? 4) - 1);
  const rl = tr.name('map lock · read', C.LOCK);
  const wl = tr.name('map lock · write', C.LOCK);
  tr.thread(1, 'writer', 0);
  for (let r = 0; r < readers; r++) tr.thread(2 + r, `reader-${r}`, 0.02 * MS * r);
  let t = 0.2 * MS;
  for (let round = 0; round < 6; round++) {
    // Readers overlap.
    for (let r = 0; r < readers; r++) {
      const s = t + r * 0.05 * MS;
      tr.mark(2 + r, s, 'read');
      tr.add(s, K.LOCK_ACQUIRE, 2 + r, rl, 1, r % 2);
      tr.add(s + 0.6 * MS, K.LOCK_RELEASE, 2 + r, rl, 0, r % 2);
      tr.add(s + 0.61 * MS, K.STATE, 2 + r, 0, S.SLEEPING, r % 2);
      tr.add(t + 1.5 * MS, K.STATE, 2 + r, 0, S.RUNNING, r % 2);
    }
    // The writer waits for the readers, then holds exclusively; readers wait for it.
    tr.mark(1, t + 0.1 * MS, 'write');
    tr.add(t + 0.1 * MS, K.LOCK_REQUEST, 1, wl);
    const w0 = t + 0.6 * MS + (readers - 1) * 0.05 * MS;
    tr.add(w0, K.LOCK_ACQUIRE, 1, wl, 1);
    tr.mark(1, w0 + 0.1 * MS, 'write-again');
    tr.add(w0 + 0.1 * MS, K.LOCK_ACQUIRE, 1, wl, 2);
    tr.add(w0 + 0.3 * MS, K.LOCK_RELEASE, 1, wl, 1);
    tr.add(w0 + 0.4 * MS, K.LOCK_RELEASE, 1, wl, 0);
    tr.add(w0 + 0.41 * MS, K.STATE, 1, 0, S.SLEEPING);
    tr.add(t + 1.9 * MS, K.STATE, 1, 0, S.RUNNING);
    t += 2 * MS;
  }
  for (let r = 0; r < readers; r++) tr.add(t, K.THREAD_END, 2 + r);
  tr.add(t + 0.1 * MS, K.THREAD_END, 1);
  return { tr, total: t + 0.2 * MS, figures: [{ name: 'Reads', value: 6 * readers, unit: null }] };
}

const teach = (...paras) => paras.join('\n\n');
const make = (id, title, summary, gen, src, params = [threadsParam(4)], extraTeaching = '') => ({
  id,
  title,
  summary,
  teaching: teach(
    summary,
    extraTeaching ||
      'Hover a thread: the source panel highlights the line it is on. Counters under the threads show how full the queue is.',
  ),
  parameters: params,
  source: src ? source(src) : [],
  gen,
});

export const catalogue = [
  make(
    'threads-join',
    'Starting and joining threads',
    'Threads start, run, and the main thread waits for them.',
    rwLock,
    null,
  ),
  make(
    'lock-contention',
    'Lock contention',
    'Many threads take turns on one lock; the rest are blocked.',
    rwLock,
    RW_SRC,
  ),
  make(
    'condition-variable',
    'Waiting on a condition',
    'Consumers wait on a condition until a producer signals it.',
    boundedQueue,
    QUEUE_SRC,
  ),
  make(
    'read-write-lock',
    'Read-write lock',
    'Readers share the lock; a writer holds it alone and re-enters it.',
    rwLock,
    RW_SRC,
  ),
  make(
    'semaphore-permits',
    'Semaphore permits',
    'A semaphore caps how many threads are inside at once; the counter shows free permits.',
    boundedQueue,
    QUEUE_SRC,
  ),
  make(
    'bounded-queue',
    'Producers and consumers on a bounded queue',
    'Fast producers fill a bounded queue and then wait for slow consumers.',
    boundedQueue,
    QUEUE_SRC,
    [
      threadsParam(4),
      {
        name: 'capacity',
        type: 'int',
        default: 5,
        min: 1,
        max: 100,
        unit: 'items',
        description: 'Queue capacity.',
      },
    ],
    'Watch the queue depth climb to the capacity and stay there: from then on producers spend their time waiting (orange) and the throughput is the consumers’ pace.\n\nEvery put signals the "not empty" condition (the small ring ticks on producer lanes); a consumer that was waiting wakes up.\n\nThe free-slots counter is the mirror image of the depth: a semaphore with capacity permits.\n\nTry a capacity of 1 and of 50: the waiting moves, the throughput does not.',
  ),
  make(
    'fixed-pool',
    'A fixed thread pool',
    'Tasks queue up in front of a fixed pool of workers.',
    workStealing,
    STEAL_SRC,
  ),
  make(
    'map-reduce',
    'Map-reduce on a pool',
    'Map tasks run in parallel, then one reduce waits for them all.',
    workStealing,
    null,
  ),
  make(
    'scheduling-strategies',
    'Scheduling strategies',
    'Static chunks against dynamic scheduling of uneven tasks.',
    workStealing,
    STEAL_SRC,
  ),
  make(
    'work-stealing',
    'Work stealing',
    'All tasks start on one worker; idle workers steal from its deque.',
    workStealing,
    STEAL_SRC,
    [
      threadsParam(4),
      {
        name: 'tasks',
        type: 'int',
        default: 400,
        min: 1,
        max: 20000,
        unit: 'tasks',
        description: 'Tasks submitted.',
      },
    ],
  ),
  make(
    'oversubscription',
    'Oversubscription',
    'More busy threads than cores: each waits for a CPU more than it runs.',
    workStealing,
    null,
  ),
  make(
    'amdahl',
    "Amdahl's law",
    'A serial part caps the speed-up however many threads run the parallel part.',
    workStealing,
    null,
  ),
  make(
    'lock-order-deadlock',
    'Two locks in opposite order',
    'Two threads take the same two locks in opposite order and deadlock.',
    lockOrder,
    LOCK_ORDER_SRC,
    [
      {
        name: 'workMillis',
        type: 'int',
        default: 20,
        min: 1,
        max: 1000,
        unit: 'ms',
        description: 'Work while holding the first lock.',
      },
    ],
    'thread-a holds lock-1 and waits for lock-2; thread-b holds lock-2 and waits for lock-1. Neither can move again.\n\nThe deadlock detector finds the cycle a moment later: the banner names it, both lanes get a heavy pink outline from that time on, and a dashed line marks the moment on every lane.\n\nHover a blocked segment: the tooltip names the lock and which thread holds it.',
  ),
  make(
    'dining-philosophers',
    'Dining philosophers',
    'Five philosophers, five forks, one cycle of waiting.',
    lockOrder,
    LOCK_ORDER_SRC,
  ),
];
