// 村务公开 over the API, read without a session: the villages, a village's matters, its exposure board.
import type { ExposureBoard, PublicVillageList, VillageAffairs } from '@cunzhi/contracts/village-affairs';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, query } from '../../../lib/api-client.ts';

export const usePublicVillages = () =>
  useQuery({ queryKey: ['public', 'villages'], queryFn: () => api<PublicVillageList>('/api/public/villages') });

const PAGE = 20;

/**
 * A village's figures and its matters a page at a time, newest first: the first page brings the
 * village and its completion rate, each further page (查看更多) 20 matters more.
 */
export const useVillageAffairs = (id: string) =>
  useInfiniteQuery({
    queryKey: ['public', 'affairs-pages', id],
    queryFn: ({ pageParam }) => api<VillageAffairs>(`/api/public/villages/${id}/affairs${query({ limit: PAGE, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.matters.nextCursor ?? undefined,
  });

/** The board a page at a time, newest first: a long board on a phone is a screenful, then 查看更多. */
export const useExposureBoard = (id: string) =>
  useInfiniteQuery({
    queryKey: ['public', 'board-pages', id],
    queryFn: ({ pageParam }) => api<ExposureBoard>(`/api/public/villages/${id}/exposure-board${query({ limit: PAGE, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
