import { withView } from './api';
import { Client, type StompSubscription } from '@stomp/stompjs';
import type { Frame, FrameTransport } from './stream';

interface Entry {
  topic: string;
  onFrame: (f: Frame) => void;
  onSubscribed: () => void;
  sub: StompSubscription | null;
}

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/**
 * Told of each change of the connection; `refusal` is the server's reason when it closed the
 * connection after a STOMP ERROR frame (a limit reached, say), shown rather than only logged.
 */
export type ConnectionListener = (s: ConnectionState, refusal?: string) => void;

/**
 * One STOMP connection for the page, shared by every run stream. stompjs reconnects by itself;
 * on each (re)connect every wanted topic is subscribed again and its stream told to re-read REST.
 */
export class StompTransport implements FrameTransport {
  private readonly client: Client;
  private readonly entries = new Set<Entry>();
  /** The reason of the server's last ERROR frame on this connection, until it reconnects. */
  private refusal: string | undefined;

  constructor(
    brokerURL: string,
    private readonly onState: ConnectionListener = () => {},
  ) {
    this.client = new Client({
      brokerURL,
      reconnectDelay: 1000,
      heartbeatIncoming: 10_000,
      heartbeatOutgoing: 10_000,
      onConnect: () => {
        this.refusal = undefined;
        this.onState('connected');
        for (const e of this.entries) this.attach(e);
      },
      onWebSocketClose: () => {
        for (const e of this.entries) e.sub = null;
        this.onState('disconnected', this.refusal);
      },
      onStompError: (f) => {
        // The server closes the connection after an ERROR frame: say why when it does.
        this.refusal = f.headers.message || f.body || 'the server sent an ERROR frame';
        console.warn('STOMP error', f.headers.message ?? '', f.body);
      },
    });
    this.onState('connecting');
    this.client.activate();
  }

  static forPage(onState?: ConnectionListener): StompTransport {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return new StompTransport(withView(`${scheme}//${location.host}/ws`), onState);
  }

  subscribe(runId: string, onFrame: (f: Frame) => void, onSubscribed: () => void): () => void {
    const entry: Entry = { topic: `/topic/runs.${runId}`, onFrame, onSubscribed, sub: null };
    this.entries.add(entry);
    if (this.client.connected) this.attach(entry);
    return () => {
      this.entries.delete(entry);
      if (entry.sub && this.client.connected) entry.sub.unsubscribe();
      entry.sub = null;
    };
  }

  private attach(e: Entry): void {
    e.sub = this.client.subscribe(e.topic, (message) => {
      const seqFrom = Number(message.headers['seq-from']);
      const seqTo = Number(message.headers['seq-to']);
      if (!Number.isFinite(seqFrom) || !Number.isFinite(seqTo)) return;
      e.onFrame({ seqFrom, seqTo, body: message.binaryBody });
    });
    e.onSubscribed();
  }
}
