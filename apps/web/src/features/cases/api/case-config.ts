// The county's case settings over the API: categories, the departments they route to, the working calendar.
import type { CaseCategory, CategoryInput, Department, WorkCalendar } from '@cunzhi/contracts/cases';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../../../lib/api-client.ts';
import { CASES_KEY } from './cases.ts';

export function useCaseConfig() {
  const categories = useQuery({
    queryKey: [CASES_KEY, 'categories', 'all'],
    queryFn: () => api<{ items: CaseCategory[] }>('/api/cases/categories'),
  });
  const departments = useQuery({
    queryKey: [CASES_KEY, 'departments'],
    queryFn: () => api<{ items: Static<typeof Department>[] }>('/api/cases/departments'),
  });
  const calendar = useQuery({ queryKey: [CASES_KEY, 'calendar'], queryFn: () => api<WorkCalendar>('/api/cases/calendar') });
  return { categories, departments, calendar };
}

/** A new category, or changes to the one being edited. */
export function useSaveCategory(editing: CaseCategory | null, onSaved: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CategoryInput) =>
      editing
        ? api(`/api/cases/categories/${editing.id}`, { method: 'PUT', body: input })
        : api('/api/cases/categories', { method: 'POST', body: input }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: [CASES_KEY] });
      onSaved();
    },
  });
}

export function useSaveCalendar() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: WorkCalendar) => api<WorkCalendar>('/api/cases/calendar', { method: 'PUT', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: [CASES_KEY, 'calendar'] }),
  });
}
