// 村务公开 over the API, read without a session: the villages, a village's matters, its exposure board.
import type { ExposureBoard, PublicVillageList, VillageAffairs } from '@cunzhi/contracts/village-affairs';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export const usePublicVillages = () =>
  useQuery({ queryKey: ['public', 'villages'], queryFn: () => api<PublicVillageList>('/api/public/villages') });

export const useVillageAffairs = (id: string) =>
  useQuery({ queryKey: ['public', 'affairs', id], queryFn: () => api<VillageAffairs>(`/api/public/villages/${id}/affairs?limit=50`) });

export const useExposureBoard = (id: string) =>
  useQuery({
    queryKey: ['public', 'board', id],
    queryFn: () => api<ExposureBoard>(`/api/public/villages/${id}/exposure-board?limit=50`),
  });
