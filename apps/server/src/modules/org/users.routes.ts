// Accounts and their roles, for those who manage users in their scope.
import {
  PasswordResetInput,
  RoleAssignmentInput,
  RoleAssignmentParams,
  User,
  UserInput,
  UserPage,
  UserQuery,
  UserTransitionInput,
} from '@cunzhi/contracts/org';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { ById, errorResponses, NoContent } from '../../platform/route-schemas.ts';
import { presentUser } from './org.presenters.ts';
import * as users from './users.service.ts';

const errors = errorResponses;

export const userRoutes: FastifyPluginAsyncTypebox<{ deps: Deps; accounts: users.AccountSessions }> = async (app, { deps, accounts }) => {
  app.get(
    '/users',
    {
      config: { access: { permission: 'user.manage' } },
      schema: {
        tags: ['org'],
        summary: 'Users holding roles in my scope',
        querystring: UserQuery,
        response: { 200: UserPage, ...errors },
      },
    },
    async (request) => {
      const page = await users.listUsers(deps, requirePrincipal(request), request.query, accounts);
      return { items: page.items.map(presentUser), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/users',
    {
      config: { access: { permission: 'user.manage' } },
      schema: { tags: ['org'], summary: 'Create a user account', body: UserInput, response: { 201: User, ...errors } },
    },
    async (request, reply) => {
      const user = await users.createUser(deps, requirePrincipal(request), actorOf(request), request.body, accounts);
      return reply.status(201).send(presentUser(user));
    },
  );

  app.get(
    '/users/:id',
    {
      config: { access: { permission: 'user.manage' } },
      schema: { tags: ['org'], summary: 'One user with roles', params: ById, response: { 200: User, ...errors } },
    },
    async (request) => presentUser(await users.getUser(deps, requirePrincipal(request), request.params.id, accounts)),
  );

  app.post(
    '/users/:id/role-assignments',
    {
      config: { access: { permission: 'user.manage' } },
      schema: {
        tags: ['org'],
        summary: 'Give a user a role at a region',
        params: ById,
        body: RoleAssignmentInput,
        response: { 201: User, ...errors },
      },
    },
    async (request, reply) => {
      const user = await users.addRoleAssignment(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.id,
        request.body,
        accounts,
      );
      return reply.status(201).send(presentUser(user));
    },
  );

  app.delete(
    '/users/:id/role-assignments/:assignmentId',
    {
      config: { access: { permission: 'user.manage' } },
      schema: {
        tags: ['org'],
        summary: 'Take a role away',
        params: RoleAssignmentParams,
        response: { 200: User, ...errors },
      },
    },
    async (request) =>
      presentUser(
        await users.removeRoleAssignment(
          deps,
          requirePrincipal(request),
          actorOf(request),
          request.params.id,
          request.params.assignmentId,
          accounts,
        ),
      ),
  );

  app.post(
    '/users/:id/transitions',
    {
      config: { access: { permission: 'user.manage' } },
      schema: {
        tags: ['org'],
        summary: 'Disable, enable or unlock an account',
        params: ById,
        body: UserTransitionInput,
        response: { 200: User, ...errors },
      },
    },
    async (request) =>
      presentUser(
        await users.transitionUser(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body.action, accounts),
      ),
  );

  app.post(
    '/users/:id/password',
    {
      config: { access: { permission: 'user.manage' } },
      schema: {
        tags: ['org'],
        summary: "Set a user's password (their sessions end)",
        params: ById,
        body: PasswordResetInput,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await users.resetPassword(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body.newPassword, accounts);
      return reply.status(204).send(null);
    },
  );
};
