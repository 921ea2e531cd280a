import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId } from './new-id.ts';

describe('ids minted in the browser', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('are random version-4 UUIDs, also where crypto.randomUUID is missing (a county intranet on plain http)', () => {
    vi.stubGlobal('crypto', { getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto) });
    expect('randomUUID' in crypto).toBe(false);
    const ids = new Set(Array.from({ length: 1000 }, newId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
