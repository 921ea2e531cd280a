// Per-process state of a module (lookups kept for a while, writes gathered for a few seconds) held
// in its Deps rather than in a module-level variable: each app has its own, a test's clock drives it,
// and a test never sees what another test's app left behind.
import type { Deps } from './deps.ts';

/** The cache named `name` in these deps, made by `make` the first time it is asked for. */
export function processCache<T>(deps: Deps, name: string, make: () => T): T {
  deps.caches ??= new Map();
  let cache = deps.caches.get(name) as T | undefined;
  if (cache === undefined) {
    cache = make();
    deps.caches.set(name, cache);
  }
  return cache;
}
