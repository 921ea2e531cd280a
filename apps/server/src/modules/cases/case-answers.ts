// Every case in an answer goes through the gate GET /:id uses (cases.service.ts visibleCase), so
// what the caller may not read is left out; shared by every route file that answers with cases.
import type { FastifyReply } from 'fastify';
import { requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { presentCase } from './cases.presenters.ts';
import type { CaseRecord } from './cases.repository.ts';
import { visibleCase } from './cases.service.ts';

type Request = Parameters<typeof requirePrincipal>[0];

export function caseAnswers(deps: Deps) {
  const present = async (request: Request, caseItem: CaseRecord) => {
    const view = await visibleCase(deps.reader, requirePrincipal(request), caseItem);
    return view && presentCase(view, deps.now());
  };
  const presentAll = async (request: Request, items: CaseRecord[]) =>
    (await Promise.all(items.map((c) => present(request, c)))).filter((c) => c !== undefined);
  /** The answer to an action: the case where the caller may still read it, otherwise 204 and nothing of it. */
  const answer = async (request: Request, reply: FastifyReply, caseItem: CaseRecord, status = 200) => {
    const presented = await present(request, caseItem);
    return presented ? reply.status(status).send(presented) : reply.status(204).send();
  };
  return { present, presentAll, answer };
}
