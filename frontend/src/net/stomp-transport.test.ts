import { describe, expect, it, vi } from 'vitest';

/** The stompjs clients made, with the callbacks the transport gave them. */
const clients = vi.hoisted(() => [] as { config: Record<string, (...a: unknown[]) => void> }[]);

vi.mock('@stomp/stompjs', () => ({
  Client: class {
    connected = false;
    constructor(public config: Record<string, (...a: unknown[]) => void>) {
      clients.push(this);
    }
    activate(): void {}
    subscribe(): { unsubscribe: () => void } {
      return { unsubscribe: () => {} };
    }
  },
}));

import { StompTransport } from './stomp-transport';

describe('the live connection', () => {
  it('says why when the server closed it after an ERROR frame, until it reconnects', () => {
    const states: [string, string | undefined][] = [];
    new StompTransport('ws://localhost/ws', (s, refusal) => states.push([s, refusal]));
    const { config } = clients[clients.length - 1];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});

    const refuse = (message: string) => {
      config.onConnect();
      config.onStompError({ headers: { message }, body: '' });
      config.onWebSocketClose();
    };
    refuse('A connection may hold at most 3 subscriptions');
    refuse('A connection may hold at most 3 subscriptions'); // stompjs tries again
    config.onConnect();
    config.onWebSocketClose(); // a plain drop: no reason to give

    const limit = 'A connection may hold at most 3 subscriptions';
    expect(states).toEqual([
      ['connecting', undefined],
      ['connected', undefined],
      ['disconnected', limit],
      ['connected', undefined],
      ['disconnected', limit],
      ['connected', undefined],
      ['disconnected', undefined],
    ]);
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });
});
