// REST client for the server contract (docs/events.md and the run API).

import type { Note } from '../model/notes';

export type ParamType = 'int' | 'double' | 'boolean' | 'enum';

export interface ParameterSpec {
  name: string;
  type: ParamType;
  default: number | boolean | string;
  min: number | null;
  max: number | null;
  unit: string | null;
  description: string | null;
  options?: string[] | null;
}

export interface Scenario {
  id: string;
  title: string;
  summary: string;
  teaching: string;
  parameters: ParameterSpec[];
  /** Lines shown beside the timeline; `mark` names the MARK that points at a line. May be absent. */
  source?: { code: string; mark: string | null }[] | null;
  /** Chooser group ("Deadlocks"), if the server sends one; otherwise guessed from the topic. */
  group?: string | null;
}

/** A deadlock the run found, named by the server: threads[i] waits for objects[i], held by threads[i+1]. */
export interface RunDeadlock {
  threads: string[];
  objects: string[];
  cycle: string;
  tNs?: number;
}

export type RunStatus =
  'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT' | 'INTERRUPTED';

export const TERMINAL_STATUSES: readonly RunStatus[] = [
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
  'INTERRUPTED',
];

export interface Figure {
  name: string;
  value: number | string | null;
  unit: string | null;
}

export interface Run {
  id: string;
  scenario: string;
  params: Record<string, unknown>;
  status: RunStatus;
  createdAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  eventCount: number;
  threads: { id: number; name: string }[];
  figures: Figure[];
  /** Present when the run found deadlocks (absent from older servers). */
  deadlocks?: RunDeadlock[] | null;
  error: string | null;
  /** Why its recording stopped early or never started (a full disk); absent when recorded. */
  recordingProblem?: string | null;
}

/** An RFC 9457 problem (`application/problem+json`), or a transport failure shaped like one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly field: string | null = null,
  ) {
    super(detail || title);
  }
}

async function problemOf(res: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    const text = await res.text();
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // Not JSON (a proxy error page): fall back to the status line.
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const title = str(body.title) ?? (res.statusText || `HTTP ${res.status}`);
  const detail =
    str(body.detail) ??
    (res.status === 429 ? 'The run queue is full; try again in a moment.' : title);
  return new ApiError(res.status, title, detail, str(body.field));
}

/**
 * The viewer link's secret when the page was opened with one (`?view=`): passed on with every
 * call, so that an embed in another site's slides, where this server's cookies are not sent,
 * can still read.
 */
const viewSecret =
  typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('view');

/** `path` with the viewer link's secret, when the page has one. */
export function withView(path: string, secret: string | null = viewSecret): string {
  if (!secret) return path;
  return `${path}${path.includes('?') ? '&' : '?'}view=${encodeURIComponent(secret)}`;
}

/** Header every state-changing call carries: the server's CSRF check (another site cannot set it). */
export const CSRF_HEADER = 'X-Threadline';

export async function request(path: string, init?: RequestInit): Promise<Response> {
  let res: Response;
  const method = (init?.method ?? 'GET').toUpperCase();
  const headers = new Headers(init?.headers);
  if (method !== 'GET' && method !== 'HEAD') headers.set(CSRF_HEADER, '1');
  try {
    res = await fetch(withView(path), { ...init, headers });
  } catch (e) {
    throw new ApiError(0, 'Network error', `Cannot reach the server (${String(e)}).`);
  }
  if (!res.ok) throw await problemOf(res);
  return res;
}

export async function json<T>(path: string, init?: RequestInit): Promise<T> {
  return (await request(path, init)).json() as Promise<T>;
}

/** What POST /api/runs/{id}/interrupt did (openapi.yaml). */
export interface InterruptResult {
  action: 'interrupted' | 'ended';
  thread: number;
  detail: string;
}

const notesPath = (id: string) => `/api/recordings/${encodeURIComponent(id)}/notes`;
const jsonBody = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/** GET /api/access: whether access is required, this page's role, the viewer link (presenter). */
export interface AccessInfo {
  required: boolean;
  role: 'NONE' | 'VIEWER' | 'PRESENTER';
  viewerLink: string | null;
}

export const api = {
  access: () => json<AccessInfo>('/api/access'),
  newViewerLink: () => json<AccessInfo>('/api/access/viewer-link', { method: 'POST' }),
  /** A recording's notes, by time (404 when the run has no recording, 409 while it runs). */
  notes: (id: string) => json<Note[]>(notesPath(id)),
  addNote: (id: string, tNs: number, text: string) =>
    json<Note>(notesPath(id), jsonBody('POST', { tNs, text })),
  updateNote: (id: string, noteId: string, change: { tNs?: number; text?: string }) =>
    json<Note>(`${notesPath(id)}/${encodeURIComponent(noteId)}`, jsonBody('PATCH', change)),
  deleteNote: async (id: string, noteId: string): Promise<void> => {
    await request(`${notesPath(id)}/${encodeURIComponent(noteId)}`, { method: 'DELETE' });
  },
  scenarios: () => json<Scenario[]>('/api/scenarios'),
  runs: () => json<Run[]>('/api/runs'),
  run: (id: string) => json<Run>(`/api/runs/${encodeURIComponent(id)}`),
  startRun: (scenario: string, params: Record<string, unknown>) =>
    json<Run>('/api/runs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ scenario, params }),
    }),
  cancelRun: (id: string) =>
    json<Run>(`/api/runs/${encodeURIComponent(id)}/cancel`, { method: 'POST' }),
  /** "Break the deadlock": interrupt a thread (lane id), or end the run if its wait cannot be. */
  interruptThread: (id: string, thread: number) =>
    json<InterruptResult>(`/api/runs/${encodeURIComponent(id)}/interrupt`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ thread }),
    }),
  /** One binary batch from `fromSeq`, or null when the server holds nothing from there. */
  async events(id: string, fromSeq: number): Promise<Uint8Array | null> {
    const res = await request(`/api/runs/${encodeURIComponent(id)}/events?from=${fromSeq}`, {
      headers: { Accept: 'application/octet-stream' },
    });
    // An empty log may come back as an empty body or as a batch with count 0: both mean
    // nothing, and the stream treats a count-0 batch as a no-op.
    const body = new Uint8Array(await res.arrayBuffer());
    return body.length > 0 ? body : null;
  },
};
