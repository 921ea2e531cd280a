// main.tsx starts a page's downloads from staticMatches when the address has no parameters, and
// makes the router later: the lookup must name exactly the routes the router would match, or a
// page would wait for chunks nobody asked for (or download the wrong ones).
import { matchRoutes, type RouteObject } from 'react-router';
import { describe, expect, it } from 'vitest';
import { routes, staticMatches } from './router.tsx';

/** Every address of the route table without parameters. */
function staticPaths(list: RouteObject[], base = ''): string[] {
  return list.flatMap((route) => {
    const path = route.path === undefined ? base : `${base.replace(/\/$/, '')}/${route.path.replace(/^\//, '')}`;
    if (/[:*?]/.test(path)) return [];
    return route.children ? staticPaths(route.children, path) : [path || '/'];
  });
}

const handles = (matches: readonly { route: { handle?: unknown } }[] | null | undefined) => (matches ?? []).map((m) => m.route.handle);

describe('staticMatches', () => {
  const paths = staticPaths(routes);

  it('knows the phone pages', () => {
    for (const path of ['/', '/login', '/m/report', '/m/points', '/m/services', '/m/family', '/m/cases', '/notifications']) {
      expect(paths).toContain(path);
      expect(staticMatches(path)).toBeDefined();
    }
  });

  it('gives the routes the router matches, for every address without parameters', () => {
    expect(paths.length).toBeGreaterThan(40);
    for (const path of paths) expect(handles(staticMatches(path)), path).toEqual(handles(matchRoutes(routes, path)));
  });

  it('leaves addresses with parameters, unknown ones and other spellings to the router', () => {
    for (const path of ['/cases/0190a3e2-7a1c-7000-8000-000000000001', '/m/family/call/x', '/no-such-page', '/m/points/', '/M/Points', ''])
      expect(staticMatches(path), path).toBeUndefined();
  });
});
