import { type Static, Type } from 'typebox';
import { AnyPhone, Id, MobilePhone, Nullable, PageQuery, PersonName, pageOf, Timestamp } from './common.ts';
import { REGION_LEVELS, type RegionLevel, ROLES, type Role } from './roles.ts';

export const Region = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  level: Type.Unsafe<RegionLevel>({ type: 'string', enum: [...REGION_LEVELS] }),
  parentId: Nullable(Type.String()),
  childCount: Type.Integer(),
});
export type Region = Static<typeof Region>;

export const Grid = Type.Object({
  id: Id,
  name: Type.String(),
  villageId: Type.String(),
  regionIds: Type.Array(Type.String()),
  workers: Type.Array(Type.Object({ userId: Type.String(), displayName: Type.String(), phone: Type.String() })),
});
export type Grid = Static<typeof Grid>;

export const Household = Type.Object({
  id: Id,
  number: Type.String(),
  headName: Type.String(),
  address: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  regionId: Type.String(),
  regionName: Type.String(),
  villageId: Nullable(Type.String()),
  townshipId: Nullable(Type.String()),
  memberCount: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Household = Static<typeof Household>;

export const HouseholdInput = Type.Object(
  {
    number: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Made from the region code when left out' })),
    headName: PersonName,
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    phone: Type.Optional(Nullable(AnyPhone)),
    regionId: Id,
  },
  { additionalProperties: false },
);
export type HouseholdInput = Static<typeof HouseholdInput>;

export const HouseholdQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    regionId: Type.Optional(Id),
    q: Type.Optional(Type.String({ maxLength: 40, description: 'Head name, household number or phone' })),
  }),
]);

export const Gender = Type.Unsafe<'male' | 'female'>({ type: 'string', enum: ['male', 'female'] });
export const RELATIONS = ['head', 'spouse', 'child', 'childInLaw', 'parent', 'grandchild', 'sibling', 'other'] as const;
export const Relation = Type.Unsafe<(typeof RELATIONS)[number]>({ type: 'string', enum: [...RELATIONS] });

export const Person = Type.Object({
  id: Id,
  householdId: Nullable(Type.String()),
  name: Type.String(),
  gender: Nullable(Gender),
  birthDate: Nullable(Type.String({ description: 'Only to roles that may reveal the ID number here; it is 8 of its 18 characters' })),
  age: Nullable(Type.Integer({ description: 'Whole years, from the birth date' })),
  relation: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  idNumberMasked: Nullable(Type.String({ description: 'First and last character only (5****************4)' })),
  regionId: Type.String(),
  regionName: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Person = Static<typeof Person>;

export const PersonInput = Type.Object(
  {
    householdId: Type.Optional(Nullable(Id)),
    regionId: Type.Optional(Id),
    name: PersonName,
    gender: Type.Optional(Nullable(Gender)),
    birthDate: Type.Optional(Nullable(Type.String({ format: 'date', maxLength: 10 }))),
    relation: Type.Optional(Nullable(Relation)),
    phone: Type.Optional(Nullable(AnyPhone)),
    idNumber: Type.Optional(Nullable(Type.String({ maxLength: 24 }))),
  },
  { additionalProperties: false },
);
export type PersonInput = Static<typeof PersonInput>;

export const PersonQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    regionId: Type.Optional(Id),
    householdId: Type.Optional(Id),
    name: Type.Optional(Type.String({ maxLength: 40 })),
    phone: Type.Optional(Type.String({ maxLength: 20 })),
    idNumber: Type.Optional(Type.String({ maxLength: 24, description: 'Exact match only' })),
  }),
]);

export const IdNumberReveal = Type.Object({ personId: Type.String(), idNumber: Type.String() });

export const RoleName = Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] });

export const RoleAssignment = Type.Object({
  id: Id,
  role: RoleName,
  regionId: Type.String(),
  regionName: Type.String(),
  regionLevel: Type.String(),
  gridId: Nullable(Type.String()),
});
export type RoleAssignment = Static<typeof RoleAssignment>;

export const User = Type.Object({
  id: Id,
  phone: Type.String(),
  displayName: Type.String(),
  personId: Nullable(Type.String()),
  disabled: Type.Boolean(),
  lockedUntil: Nullable(Timestamp),
  assignments: Type.Array(RoleAssignment),
  createdAt: Timestamp,
});
export type User = Static<typeof User>;

export const UserInput = Type.Object(
  {
    phone: MobilePhone,
    displayName: Type.String({ minLength: 1, maxLength: 40 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    personId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);
export type UserInput = Static<typeof UserInput>;

export const RoleAssignmentInput = Type.Object(
  { role: RoleName, regionId: Id, gridId: Type.Optional(Nullable(Id)) },
  { additionalProperties: false },
);
export type RoleAssignmentInput = Static<typeof RoleAssignmentInput>;

export const HouseholdPage = pageOf(Household);
export const PersonPage = pageOf(Person);
export const UserPage = pageOf(User);

// The rest of the endpoints' shapes, so that no route declares its own.
export const RegionChildrenQuery = Type.Object({ parentId: Type.Optional(Id) });
export const RegionList = Type.Object({ items: Type.Array(Region) });
export const GridQuery = Type.Object({ villageId: Id });
export const GridList = Type.Object({ items: Type.Array(Grid) });
export const HouseholdPatch = Type.Partial(HouseholdInput, { additionalProperties: false });
export const HouseholdCounts = Type.Object({
  items: Type.Array(Type.Object({ regionId: Type.String(), regionName: Type.String(), count: Type.Integer() })),
});
export const PersonPatch = Type.Partial(PersonInput, { additionalProperties: false });
export const UserQuery = Type.Intersect([PageQuery, Type.Object({ q: Type.Optional(Type.String({ maxLength: 40 })) })]);
export const RoleAssignmentParams = Type.Object({ id: Id, assignmentId: Id });
export const UserTransitionInput = Type.Object(
  {
    action: Type.Union([Type.Literal('disable'), Type.Literal('enable'), Type.Literal('unlock')]),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export const PasswordResetInput = Type.Object({ newPassword: Type.String({ maxLength: 200 }) }, { additionalProperties: false });
