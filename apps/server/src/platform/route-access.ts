// Who may call a route, declared where the route is defined (`config: { access }`). The app refuses
// to start with a route that declares nothing (app.ts), so no route is added without an answer, and
// the access matrix test (access-matrix.test.ts) reads these declarations. Checking the declaration
// here happens before the body is read: a caller who is not signed in, or holds the permission
// nowhere, is turned away at once. Which objects a caller reaches stays the services' decision.
import type { FastifyRequest, RouteOptions } from 'fastify';
import { hasPermission, type Permission } from './access.ts';
import { requirePrincipal } from './context.ts';
import { forbidden } from './errors.ts';

export type RouteAccess =
  /** Anyone, signed in or not: sign-in itself, public pages, the health checks. */
  | 'public'
  /** Any signed-in user; the service decides per object (a villager's own case, a user's own inbox). */
  | 'signedIn'
  /** A signed-in user holding at least one of these permissions somewhere; the service decides the scope. */
  | { permission: Permission | Permission[] }
  /**
   * An integration key (Open311 api_key, a device gateway's bearer key) or a signed-in session; the
   * route resolves the key itself, in its protocol's error shape. Open311 reads without a key show
   * only what the public pages show; a gateway's or device's route turns away a request carrying
   * neither a session nor an Authorization header before reading its body.
   */
  | 'key:open311'
  | 'key:gateway'
  /** A device's own key (a loudspeaker, a single care device); the route resolves it. */
  | 'key:device';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

/** The access a route declares, or undefined when it declares none. */
export function declaredAccess(route: Pick<RouteOptions, 'config'>): RouteAccess | undefined {
  return (route.config as { access?: RouteAccess } | undefined)?.access;
}

/** onRoute: a route of ours that declares no access stops the app from starting, naming the route. */
export function requireDeclaredAccess(route: Pick<RouteOptions, 'config' | 'method' | 'url'>): void {
  if (declaredAccess(route) === undefined) {
    throw new Error(`Route ${route.method} ${route.url} declares no access (config: { access })`);
  }
}

/** The permissions a declaration asks for, empty when it asks for none. */
export function permissionsOf(access: RouteAccess): Permission[] {
  if (typeof access !== 'object') return [];
  return Array.isArray(access.permission) ? access.permission : [access.permission];
}

/** onRequest: enforces what the declaration says before the body is read. */
export async function enforceDeclaredAccess(request: FastifyRequest): Promise<void> {
  const access = request.routeOptions.config.access;
  if (access === undefined || access === 'public' || access === 'key:open311') return;
  // A gateway's or a device's key travels in the Authorization header: without it (and without a
  // session) there is nobody to read a body for. The route checks the key itself.
  if (access === 'key:gateway' || access === 'key:device') {
    if (request.headers.authorization === undefined) requirePrincipal(request);
    return;
  }
  const principal = requirePrincipal(request);
  const wanted = permissionsOf(access);
  if (wanted.length > 0 && !wanted.some((permission) => hasPermission(principal, permission))) throw forbidden();
}
