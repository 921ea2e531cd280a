// 村务公开: what the public village pages read without a session (/api/public/villages/..., /api/public/cases/...).
import { type Static, Type } from 'typebox';
import { ExposureBoardItem } from './cases.ts';
import { Id, Nullable, pageOf, Timestamp } from './common.ts';

export const PublicVillage = Type.Object({
  id: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  townshipName: Type.String(),
});
export type PublicVillage = Static<typeof PublicVillage>;

export const PublicVillageList = Type.Object({ items: Type.Array(PublicVillage) });
export type PublicVillageList = Static<typeof PublicVillageList>;

/** The village pages' :id. */
export const PublicVillageParams = Type.Object({ id: Id });
export type PublicVillageParams = Static<typeof PublicVillageParams>;

/** A matter as the public sees it: no text, no names, no place. */
export const PublicMatter = Type.Object({
  number: Type.String(),
  title: Type.String(),
  categoryName: Type.String(),
  state: Type.String(),
  createdAt: Timestamp,
  closedAt: Nullable(Type.String()),
});
export type PublicMatter = Static<typeof PublicMatter>;

export const VillageAffairs = Type.Object({
  village: Type.Object({ id: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()), code: Type.String() }),
  total: Type.Integer(),
  closed: Type.Integer(),
  completionRate: Nullable(Type.Number()),
  matters: pageOf(PublicMatter),
});
export type VillageAffairs = Static<typeof VillageAffairs>;

export const PublicPhotoParams = Type.Object({ id: Id, photoId: Id });
export type PublicPhotoParams = Static<typeof PublicPhotoParams>;

export const PublicPhotoQuery = Type.Object({ variant: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('thumb')])) });
export type PublicPhotoQuery = Static<typeof PublicPhotoQuery>;

export const ExposureBoard = pageOf(ExposureBoardItem);
export type ExposureBoard = Static<typeof ExposureBoard>;
