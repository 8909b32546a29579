import type { Note } from '../model/notes';
import { json, request, type RunStatus } from './api';

/** A kept run, as GET /api/recordings lists it. */
export interface Recording {
  id: string;
  scenario: string;
  params: Record<string, unknown>;
  name: string;
  pinned: boolean;
  status: RunStatus;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  eventCount: number;
  bytes: number;
  /** Notes pinned to its moments, by time (absent from older servers). */
  notes?: Note[];
}

/** A file in the data directory that could not be read, and why. */
export interface Unreadable {
  file: string;
  problem: string;
}

export interface RecordingList {
  recordings: Recording[];
  unreadable: Unreadable[];
}

const path = (id: string) => `/api/recordings/${encodeURIComponent(id)}`;

export const recordingsApi = {
  list: () => json<RecordingList>('/api/recordings'),
  update: (id: string, change: { name?: string; pinned?: boolean }) =>
    json<Recording>(path(id), {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(change),
    }),
  remove: async (id: string): Promise<void> => {
    await request(path(id), { method: 'DELETE' });
  },
  /** The file a download link points at (the same file `importFile` takes back). */
  fileUrl: (id: string) => `${path(id)}/file`,
  importFile: (file: Blob) =>
    json<Recording>('/api/recordings', {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: file,
    }),
};
