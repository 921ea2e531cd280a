// Reminders to elders' home speakers and the device commands that carry them, on the wire.
import { type Static, Type } from 'typebox';
import { Id } from './common.ts';

export const DeviceCommand = Type.Object({ id: Id, kind: Type.String(), text: Type.String(), expiresAt: Type.String() });
export type DeviceCommand = Static<typeof DeviceCommand>;

export const DeviceCommandList = Type.Object({ items: Type.Array(DeviceCommand) });

export const CommandAckInput = Type.Object(
  { outcome: Type.Union([Type.Literal('delivered'), Type.Literal('failed')]) },
  { additionalProperties: false },
);

export const CommandAckResult = Type.Object({ state: Type.String() });

export const ReminderInput = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 300 }), elderPersonIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);
export type ReminderInput = Static<typeof ReminderInput>;

export const ReminderSent = Type.Object({ id: Id, commands: Type.Integer(), withoutSpeaker: Type.Array(Id) });
export type ReminderSent = Static<typeof ReminderSent>;

export const CommandCounts = Type.Object({
  queued: Type.Integer(),
  sent: Type.Integer(),
  delivered: Type.Integer(),
  failed: Type.Integer(),
  expired: Type.Integer(),
});

export const ReminderSummary = Type.Object({ id: Id, text: Type.String(), createdAt: Type.String(), counts: CommandCounts });
export type ReminderSummary = Static<typeof ReminderSummary>;

export const ReminderList = Type.Object({ items: Type.Array(ReminderSummary) });

export const ReminderDelivery = Type.Object({
  elderPersonId: Id,
  name: Type.String(),
  serial: Type.String(),
  state: Type.String(),
  sentAt: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
});
export type ReminderDelivery = Static<typeof ReminderDelivery>;

export const ReminderDeliveryList = Type.Object({ items: Type.Array(ReminderDelivery) });
