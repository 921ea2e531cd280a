// The login page learns from the server whether to show the demo banner and the demo password hint.
import { describe, expect, it } from 'vitest';
import { buildTestApp, dialects } from '../../test/build-test-app.ts';

describe.each(dialects)('GET /api/platform-info on %s', (dialect) => {
  it('says demo mode to anyone when the demo county is on, and not when it is off', async () => {
    const demo = await buildTestApp(dialect);
    try {
      const response = await demo.app.inject({ method: 'GET', url: '/api/platform-info' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ demo: true });
    } finally {
      await demo.close();
    }
    const real = await buildTestApp(dialect, { DEMO_DATA: 'false' });
    try {
      expect((await real.app.inject({ method: 'GET', url: '/api/platform-info' })).json()).toEqual({ demo: false });
    } finally {
      await real.close();
    }
  });
});
