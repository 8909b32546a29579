// Dev-only mock of the Threadline server contract: REST, the binary event log and STOMP over a
// hand-rolled WebSocket, with synthetic runs. Not shipped. Usage:
//   npm run build && node dev/mock-server.mjs [port]      then open http://localhost:PORT/
import { createServer } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogue as scenarioCatalogue } from './mock-scenarios.mjs';
import { processCatalogue } from './mock-processes.mjs';

const catalogue = [...scenarioCatalogue, ...processCatalogue];

const here = path.dirname(fileURLToPath(import.meta.url));
const appDir = path.resolve(here, '../../target/classes/static/app');
const port = Number(process.argv[2] ?? 8090);

const K = {
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
};
const S = { RUNNING: 0, RUNNABLE: 1, BLOCKED: 2, WAITING: 3, SLEEPING: 4, IO: 5, IDLE: 6 };

const scenarios = [
  {
    id: 'cpu-vs-io',
    title: 'CPU-bound vs I/O-bound tasks',
    summary:
      'The same pool runs CPU-heavy tasks, then I/O-heavy tasks. Watch how many threads are really running.',
    teaching:
      'With CPU-bound tasks, more threads than cores only adds waiting for a CPU (hatched yellow).\n\nWith I/O-bound tasks, threads spend their time in I/O (striped blue), so a larger pool overlaps the waits and finishes sooner.\n\nCompare the queue wait of the last tasks in both phases.',
    parameters: [
      {
        name: 'tasks',
        type: 'int',
        default: 8,
        min: 1,
        max: 5000,
        unit: 'tasks',
        description: 'Tasks submitted in each phase.',
      },
      {
        name: 'poolSize',
        type: 'int',
        default: 4,
        min: 1,
        max: 32,
        unit: 'threads',
        description: 'Worker threads in the fixed pool.',
      },
      {
        name: 'cpuWork',
        type: 'int',
        default: 50,
        min: 1,
        max: 1000,
        unit: 'M iterations',
        description: 'CPU work per CPU-bound task (million iterations).',
      },
      {
        name: 'ioMillis',
        type: 'int',
        default: 50,
        min: 1,
        max: 2000,
        unit: 'ms',
        description: 'Simulated I/O time per I/O-bound task.',
      },
    ],
  },
  {
    id: 'race-condition',
    title: 'Race condition on a counter',
    summary: 'Threads increment a shared counter with and without a lock.',
    teaching:
      'Without the lock, increments are lost.\n\nWith the lock, threads take turns: look at the blocked (vermillion) segments and the lock bars.',
    parameters: [
      {
        name: 'threads',
        type: 'int',
        default: 4,
        min: 2,
        max: 16,
        unit: 'threads',
        description: 'Threads incrementing the counter.',
      },
      {
        name: 'increments',
        type: 'int',
        default: 100000,
        min: 1,
        max: 10000000,
        unit: null,
        description: 'Increments per thread.',
      },
      {
        name: 'useLock',
        type: 'boolean',
        default: true,
        min: null,
        max: null,
        unit: null,
        description: 'Guard the counter with a ReentrantLock.',
      },
    ],
  },
];

// ---------- binary encoding (docs/events.md) ----------
function uv(out, n) {
  while (n >= 128) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}
function sv(out, n) {
  uv(out, n >= 0 ? n * 2 : -n * 2 - 1);
}
function encode(firstSeq, evs) {
  const out = [1];
  uv(out, firstSeq);
  uv(out, evs.length);
  let prev = 0;
  for (const e of evs) {
    out.push(e.kind);
    uv(out, e.thread);
    uv(out, e.cpu + 1);
    sv(out, e.t - prev);
    prev = e.t;
    uv(out, e.obj);
    sv(out, e.arg);
    if (e.kind === K.NAME || e.kind === K.DEADLOCK) {
      const b = Buffer.from(e.text, 'utf8');
      uv(out, b.length);
      for (const x of b) out.push(x);
    }
  }
  return Buffer.from(out);
}

// ---------- synthetic runs ----------
const extra = new Map(catalogue.map((c) => [c.id, c]));
for (const c of catalogue) {
  const s = { ...c };
  delete s.gen;
  scenarios.push(s);
}

function generate(scenario, params) {
  const c = extra.get(scenario);
  if (c) {
    const out = c.gen(params);
    const events = finish(out.tr.ev, out.total);
    events.at(-1).arg = out.status ?? 0;
    return { ...out, events, durationNs: out.total };
  }
  const ev = [];
  const add = (t, kind, thread, obj = 0, arg = 0, cpu = 0, text) =>
    ev.push({ t: Math.round(t), kind, thread, obj, arg, cpu, text });
  let nextId = 100;
  const name = (text, category) => {
    const id = nextId++;
    add(0, K.NAME, 0, id, category, -1, text);
    return id;
  };
  add(0, K.RUN_START, 0, 0, Date.now(), -1);
  const cores = 2;
  const MS = 1e6;
  if (scenario === 'race-condition') {
    const n = params.threads ?? 4;
    const lock = name('counterLock', 1);
    const span = name(
      params.useLock === false ? 'unguarded increments' : 'increments under counterLock',
      4,
    );
    add(0.2 * MS, K.SPAN_BEGIN, 1, span, 1);
    add(0, K.THREAD_START, 1, name('main', 0), 4000);
    let t = 0.1 * MS;
    for (let i = 0; i < n; i++) {
      const lane = i + 2;
      add(t + i * 0.05 * MS, K.THREAD_START, lane, name(`worker-${i}`, 0), 4001 + i, i % cores);
    }
    add(0.3 * MS, K.STATE, 1, 0, S.WAITING, 0);
    let lockFree = 0.5 * MS;
    const steps = 30;
    const per = Array.from({ length: n }, (_, i) => 0.4 * MS + i * 0.05 * MS);
    for (let s = 0; s < steps; s++)
      for (let i = 0; i < n; i++) {
        const lane = i + 2;
        let tt = per[i] + 0.3 * MS;
        if (params.useLock !== false) {
          if (lockFree > tt) {
            add(tt, K.LOCK_REQUEST, lane, lock, 0, i % cores);
            tt = lockFree;
          }
          add(tt, K.LOCK_ACQUIRE, lane, lock, 1, i % cores);
          tt += 0.25 * MS;
          add(tt, K.LOCK_RELEASE, lane, lock, 0, i % cores);
          lockFree = tt;
        } else {
          add(tt, K.STATE, lane, 0, S.RUNNING, i % cores);
          if (s % 3 === i % 3) {
            add(tt + 0.1 * MS, K.STATE, lane, 0, S.RUNNABLE, i % cores);
            add(tt + 0.2 * MS, K.STATE, lane, 0, S.RUNNING, (i + 1) % cores);
          }
          tt += 0.25 * MS;
        }
        per[i] = tt;
      }
    const end = Math.max(...per) + 0.2 * MS;
    for (let i = 0; i < n; i++) add(per[i] + 0.05 * MS, K.THREAD_END, i + 2, 0, 0, i % cores);
    add(end, K.STATE, 1, 0, S.RUNNING, 0);
    add(end, K.SPAN_END, 1, span, 1);
    add(end + 0.1 * MS, K.THREAD_END, 1, 0, 0, 0);
    const total = end + 0.2 * MS;
    return {
      events: finish(ev, total),
      durationNs: total,
      figures: [
        { name: 'Expected count', value: n * (params.increments ?? 100000), unit: null },
        {
          name: 'Final count',
          value:
            params.useLock === false
              ? Math.round(n * (params.increments ?? 100000) * 0.73)
              : n * (params.increments ?? 100000),
          unit: null,
        },
        {
          name: 'Lost updates',
          value:
            params.useLock === false ? Math.round(n * (params.increments ?? 100000) * 0.27) : 0,
          unit: null,
        },
        { name: 'Wall time', value: total / 1e6, unit: 'ms' },
      ],
    };
  }
  // cpu-vs-io
  const tasks = params.tasks ?? 8,
    pool = params.poolSize ?? 4;
  const cpuNs = (params.cpuWork ?? 50) * 0.04 * MS,
    ioNs = (params.ioMillis ?? 50) * MS;
  const main = 1;
  add(10_000, K.THREAD_START, main, name('main', 0), 5000, 0);
  const exec = name('pool-1', 2);
  const lock = name('resultsLock', 1);
  const workers = [];
  for (let w = 0; w < pool; w++) {
    const lane = w + 2;
    const t0 = 50_000 + w * 20_000;
    add(t0, K.THREAD_START, lane, name(`pool-1-thread-${w + 1}`, 0), 5001 + w, w % cores);
    add(t0 + 5000, K.STATE, lane, exec, S.IDLE, w % cores);
    workers.push({ lane, free: t0 + 5000, cpu: w % cores });
  }
  let t = 200_000;
  let lockFree = 0;
  let taskNo = 0;
  const runPhase = (label, kind) => {
    const span = name(label, 4);
    const inst = nextId++;
    add(t, K.SPAN_BEGIN, main, span, inst, 0);
    const ids = [];
    for (let i = 0; i < tasks; i++) {
      const id = nextId++;
      ids.push(id);
      add(t + i * 2000, K.TASK_SUBMIT, main, id, exec, 0);
    }
    add(t + tasks * 2000, K.STATE, main, exec, S.WAITING, 0);
    let phaseEnd = t;
    ids.forEach((id, i) => {
      const w = workers.reduce((a, b) => (b.free < a.free ? b : a));
      let tt = Math.max(w.free, t + i * 2000) + 3000;
      add(tt, K.TASK_START, w.lane, id, exec, w.cpu);
      taskNo++;
      if (kind === 'cpu') {
        // More runnable threads than cores: slices alternate running and waiting for a CPU.
        const slices = 4;
        const slice = cpuNs / slices;
        for (let s = 0; s < slices; s++) {
          if (pool > cores && s % 2 === 1) {
            add(tt, K.STATE, w.lane, 0, S.RUNNABLE, w.cpu);
            tt += slice * (pool / cores - 1);
            w.cpu = (w.cpu + 1) % cores;
            add(tt, K.MIGRATE, w.lane, ((w.cpu + 1) % cores) + 1, 0, w.cpu);
            add(tt, K.STATE, w.lane, 0, S.RUNNING, w.cpu);
          }
          tt += slice;
        }
      } else {
        add(tt + 20_000, K.STATE, w.lane, 0, S.IO, w.cpu);
        tt += 20_000 + ioNs;
        add(tt, K.STATE, w.lane, 0, S.RUNNING, w.cpu);
        tt += 10_000;
      }
      if (lockFree > tt) {
        add(tt, K.LOCK_REQUEST, w.lane, lock, 0, w.cpu);
        tt = lockFree;
      }
      add(tt, K.LOCK_ACQUIRE, w.lane, lock, 1, w.cpu);
      tt += 15_000;
      add(tt, K.LOCK_RELEASE, w.lane, lock, 0, w.cpu);
      lockFree = tt;
      tt += 2000;
      add(tt, K.TASK_END, w.lane, id, exec, w.cpu);
      add(tt, K.STATE, w.lane, exec, S.IDLE, w.cpu);
      add(tt, K.COUNTER, w.lane, 99, taskNo, w.cpu);
      w.free = tt;
      phaseEnd = Math.max(phaseEnd, tt);
    });
    add(phaseEnd + 5000, K.STATE, main, 0, S.RUNNING, 0);
    add(phaseEnd + 6000, K.SPAN_END, main, span, inst, 0);
    add(phaseEnd + 6000, K.MARK, main, name(`${label} done`, 6), 0, 0);
    const d = phaseEnd - t;
    t = phaseEnd + 50_000;
    return d;
  };
  const cpuD = runPhase(`CPU-bound, ${pool} threads`, 'cpu');
  const ioD = runPhase(`I/O-bound, ${pool} threads`, 'io');
  for (const w of workers) add(t, K.THREAD_END, w.lane, 0, 0, w.cpu);
  add(t + 10_000, K.THREAD_END, main, 0, 0, 0);
  const total = t + 20_000;
  return {
    events: finish(ev, total),
    durationNs: total,
    figures: [
      { name: 'CPU-bound phase', value: cpuD / 1e6, unit: 'ms' },
      { name: 'I/O-bound phase', value: ioD / 1e6, unit: 'ms' },
      { name: 'CPU-bound throughput', value: tasks / (cpuD / 1e9), unit: 'tasks/s' },
      { name: 'I/O-bound throughput', value: tasks / (ioD / 1e9), unit: 'tasks/s' },
      { name: 'Cores', value: cores, unit: null },
    ],
  };
}
function finish(ev, total) {
  // NAMEs first (a name precedes any reference), then by time; RUN_END is appended by the server.
  return ev
    .sort((a, b) =>
      (a.kind === K.NAME) !== (b.kind === K.NAME) ? (a.kind === K.NAME ? -1 : 1) : a.t - b.t,
    )
    .concat([{ t: total, kind: K.RUN_END, thread: 0, obj: 0, arg: 0, cpu: -1 }]);
}

// ---------- runs ----------
const runs = new Map();
const subscribers = new Map(); // runId -> Set<socket send fn>
function runJson(r) {
  return {
    id: r.id,
    scenario: r.scenario,
    params: r.params,
    status: r.status,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    durationMs: r.status === 'RUNNING' || r.status === 'QUEUED' ? null : r.durationNs / 1e6,
    eventCount: r.log.length,
    threads: r.threads,
    figures: r.done ? r.figures : [],
    deadlocks: r.done ? (r.deadlocks ?? []) : [],
    error: r.done ? (r.error ?? null) : null,
  };
}
function startRun(scenario, params) {
  const id = randomUUID();
  const gen = generate(scenario, params);
  const r = {
    id,
    scenario,
    params,
    status: 'QUEUED',
    createdAt: new Date().toISOString(),
    startedAt: null,
    endedAt: null,
    log: [],
    pending: gen.events,
    figures: gen.figures,
    deadlocks: gen.deadlocks,
    error: gen.error,
    endStatus: gen.status ?? 0,
    durationNs: gen.durationNs,
    threads: [],
    done: false,
  };
  runs.set(id, r);
  // Real time is stretched so a run lasts about 3 s on screen.
  const speed = gen.durationNs / 3000;
  setTimeout(() => {
    r.status = 'RUNNING';
    r.startedAt = new Date().toISOString();
    const t0 = Date.now();
    const timer = setInterval(() => {
      const now = (Date.now() - t0) * speed;
      let n = 0;
      while (n < r.pending.length && (r.pending[n].t <= now || r.pending[n].kind === K.NAME)) n++;
      if (n > 0) {
        const evs = r.pending.splice(0, n);
        const from = r.log.length;
        r.log.push(...evs);
        const body = encode(from, evs);
        for (const send of subscribers.get(id) ?? []) send(from, from + evs.length - 1, body);
      }
      if (r.pending.length === 0) {
        clearInterval(timer);
        r.status = r.cancelled ? 'CANCELLED' : r.endStatus === 1 ? 'FAILED' : 'SUCCEEDED';
        r.endedAt = new Date().toISOString();
        r.done = true;
      }
    }, 50);
    r.cancel = () => {
      r.cancelled = true;
      const end = r.pending.at(-1);
      end.arg = 2;
      end.t = Math.max(...r.log.map((e) => e.t), 0);
      r.pending = [end];
    };
  }, 400);
  return r;
}

// ---------- HTTP ----------
const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Threadline</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/app/app.css"></head><body><div id="app"></div><script type="module" src="/app/app.js"></script></body></html>`;
function problem(res, status, detail, field) {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' });
  res.end(
    JSON.stringify({
      type: 'about:blank',
      title: status === 429 ? 'Too Many Requests' : 'Bad Request',
      status,
      detail,
      instance: '/api/runs',
      field,
    }),
  );
}
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const p = url.pathname;
  const json = (code, body) => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (p === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    return res.end(page);
  }
  if (p.startsWith('/app/')) {
    const f = path.join(appDir, path.basename(p));
    if (!existsSync(f)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, {
      'Content-Type': f.endsWith('.js')
        ? 'text/javascript'
        : f.endsWith('.css')
          ? 'text/css'
          : 'application/octet-stream',
    });
    return res.end(readFileSync(f));
  }
  if (p === '/api/scenarios') return json(200, scenarios);
  if (p === '/api/runs' && req.method === 'GET')
    return json(200, [...runs.values()].reverse().map(runJson));
  if (p === '/api/runs' && req.method === 'POST') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const { scenario, params = {} } = JSON.parse(body || '{}');
      const s = scenarios.find((x) => x.id === scenario);
      if (!s) return problem(res, 400, `Unknown scenario '${scenario}'.`, 'scenario');
      for (const spec of s.parameters) {
        const v = params[spec.name] ?? spec.default;
        params[spec.name] = v;
        if (spec.max != null && v > spec.max)
          return problem(
            res,
            400,
            `${spec.name} must be at most ${spec.max}.`,
            `params.${spec.name}`,
          );
      }
      if (
        [...runs.values()].filter((r) => r.status === 'QUEUED' || r.status === 'RUNNING').length >=
        2
      )
        return problem(res, 429, 'The run queue is full (2 runs waiting).');
      const r = startRun(scenario, params);
      res.setHeader('Location', `/api/runs/${r.id}`);
      json(201, runJson(r));
    });
    return;
  }
  let m = p.match(/^\/api\/runs\/([^/]+)(\/events|\/cancel)?$/);
  if (m) {
    const r = runs.get(m[1]);
    if (!r) return problem(res, 404, `No run ${m[1]}.`);
    if (!m[2]) return json(200, runJson(r));
    if (m[2] === '/cancel') {
      r.cancel?.();
      return json(202, runJson(r));
    }
    const from = Number(url.searchParams.get('from') ?? 0);
    const evs = r.log.slice(from);
    const headers = { 'Content-Type': 'application/octet-stream' };
    if (evs.length) headers['Seq-To'] = String(from + evs.length - 1);
    res.writeHead(200, headers);
    return res.end(encode(from, evs));
  }
  res.writeHead(404);
  res.end();
});

// ---------- minimal WebSocket + STOMP 1.2 (server side) ----------
server.on('upgrade', (req, socket) => {
  if (!req.url.startsWith('/ws')) return socket.destroy();
  const key = req.headers['sec-websocket-key'];
  const accept = createHash('sha1')
    .update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11')
    .digest('base64');
  const proto = (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .find((s) => s.startsWith('v12'));
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${proto ? `Sec-WebSocket-Protocol: ${proto}\r\n` : ''}\r\n`,
  );
  const sendWs = (opcode, payload) => {
    const len = payload.length;
    let head;
    if (len < 126) head = Buffer.from([0x80 | opcode, len]);
    else if (len < 65536) {
      head = Buffer.alloc(4);
      head[0] = 0x80 | opcode;
      head[1] = 126;
      head.writeUInt16BE(len, 2);
    } else {
      head = Buffer.alloc(10);
      head[0] = 0x80 | opcode;
      head[1] = 127;
      head.writeBigUInt64BE(BigInt(len), 2);
    }
    socket.write(Buffer.concat([head, payload]));
  };
  const subs = new Map(); // sub id -> {runId, fn}
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 2) {
      const opcode = buf[0] & 0x0f;
      let len = buf[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        len = buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        len = Number(buf.readBigUInt64BE(2));
        off = 10;
      }
      const masked = buf[1] & 0x80;
      const maskOff = off;
      if (masked) off += 4;
      if (buf.length < off + len) return;
      const data = Buffer.from(buf.subarray(off, off + len));
      if (masked) for (let i = 0; i < len; i++) data[i] ^= buf[maskOff + (i % 4)];
      buf = buf.subarray(off + len);
      if (opcode === 8) {
        socket.end();
        return;
      }
      if (opcode === 9) {
        sendWs(10, data);
        continue;
      }
      handleStomp(data.toString('utf8'));
    }
  });
  const cleanup = () => {
    for (const s of subs.values()) subscribers.get(s.runId)?.delete(s.fn);
    subs.clear();
  };
  socket.on('close', cleanup);
  socket.on('error', cleanup);
  function handleStomp(text) {
    for (const raw of text.split('\0')) {
      const frame = raw.replace(/^\n+/, '');
      if (!frame) continue;
      const [head] = frame.split('\n\n');
      const lines = head.split('\n');
      const cmd = lines[0];
      const h = Object.fromEntries(
        lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
      );
      if (cmd === 'CONNECT' || cmd === 'STOMP')
        sendWs(1, Buffer.from('CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0'));
      else if (cmd === 'SUBSCRIBE') {
        const runId = h.destination.replace('/topic/runs.', '');
        const fn = (from, to, body) => {
          const hdr = Buffer.from(
            `MESSAGE\ndestination:${h.destination}\nsubscription:${h.id}\nmessage-id:${from}\ncontent-type:application/octet-stream\nseq-from:${from}\nseq-to:${to}\ncontent-length:${body.length}\n\n`,
          );
          sendWs(2, Buffer.concat([hdr, body, Buffer.from([0])]));
        };
        subs.set(h.id, { runId, fn });
        if (!subscribers.has(runId)) subscribers.set(runId, new Set());
        subscribers.get(runId).add(fn);
      } else if (cmd === 'UNSUBSCRIBE') {
        const s = subs.get(h.id);
        if (s) subscribers.get(s.runId)?.delete(s.fn);
        subs.delete(h.id);
      } else if (cmd === 'DISCONNECT') {
        cleanup();
        socket.end();
      }
    }
  }
});

server.listen(port, () => console.log(`mock Threadline on http://localhost:${port}/`));
