// 村务公开 over the API, read without a session: the villages, a village's matters, its exposure board.
import type { ExposureBoardItem } from '@cunzhi/contracts/cases';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

// Not in packages/contracts yet: the answers of GET /api/public/villages and /api/public/villages/:id/affairs.
type Village = { id: string; name: string; nameEn: string | null; townshipName: string };
type Affairs = {
  village: { id: string; name: string; nameEn: string | null; code: string };
  total: number;
  closed: number;
  completionRate: number | null;
  matters: { items: { number: string; title: string; categoryName: string; state: string; createdAt: string; closedAt: string | null }[] };
};

export const usePublicVillages = () =>
  useQuery({ queryKey: ['public', 'villages'], queryFn: () => api<{ items: Village[] }>('/api/public/villages') });

export const useVillageAffairs = (id: string) =>
  useQuery({ queryKey: ['public', 'affairs', id], queryFn: () => api<Affairs>(`/api/public/villages/${id}/affairs?limit=50`) });

export const useExposureBoard = (id: string) =>
  useQuery({
    queryKey: ['public', 'board', id],
    queryFn: () => api<{ items: ExposureBoardItem[] }>(`/api/public/villages/${id}/exposure-board?limit=50`),
  });
