// Questions to the township's extension worker: a household asks (with a photo) and both sides
// see the thread; the worker's queue flags what waited more than a working day.
import type { QuestionFilter } from '@cunzhi/contracts/agri';
import type { Question, QuestionMessageInput, QuestionThread } from '@cunzhi/contracts/agri-questions';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { AGRI_KEY } from './farm.ts';
import { usePaged } from './paged.ts';

export const useQuestions = (filter: { state?: QuestionFilter; regionId?: string }, enabled = true) =>
  usePaged<Question>(AGRI_KEY, '/api/agri/questions', filter, { enabled });

export function useQuestion(id: string | undefined) {
  return useQuery({
    queryKey: [AGRI_KEY, 'question', id],
    queryFn: () => api<QuestionThread>(`/api/agri/questions/${id}`),
    enabled: Boolean(id),
    retry: false,
  });
}

export const questionApi = {
  /** The extension worker's answer from the desk (online: the desk has no outbox). */
  answer: (id: string, input: QuestionMessageInput) =>
    api<QuestionThread>(`/api/agri/questions/${id}/messages`, { method: 'POST', body: input }),
  close: (id: string) => api<QuestionThread>(`/api/agri/questions/${id}/close`, { method: 'POST', body: {} }),
};
