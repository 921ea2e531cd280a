import { describe, expect, it } from 'vitest';
import { parseEvents } from './call-stream.ts';

describe('the call stream’s events', () => {
  it('are read whole, with what is left over kept for the next chunk, and comments skipped', () => {
    const first = parseEvents(': connected\n\nevent: ring\ndata: {"call":{"id":"a"}}\n\nevent: sig');
    expect(first.events).toEqual([{ event: 'ring', data: '{"call":{"id":"a"}}' }]);
    expect(first.rest).toBe('event: sig');
    const second = parseEvents(`${first.rest}nal\ndata: {"type":"offer"}\n\n: heartbeat\n\n`);
    expect(second.events).toEqual([{ event: 'signal', data: '{"type":"offer"}' }]);
    expect(second.rest).toBe('');
  });
});
