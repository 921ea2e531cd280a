// The plausibility bounds of a farm's yields and sales, kept apart from the observations service
// that applies them (README "Farms and farm advice", plausible figures).
import type { ObservationInput } from '@cunzhi/contracts/agri-farms';
import { AppError } from '../../platform/errors.ts';
import type * as farms from './agri-farms.repository.ts';

/**
 * Plausibility bounds of yields and sales (README "Farms and farm advice", plausible figures): a price
 * per kg within PRICE_YUAN_PER_KG, and one observation's kilograms at most what its subject can
 * give: a plot's area in mu × PLOT_KG_PER_MU, a flock's head count × its species' KG_PER_HEAD.
 * Past them the figures of every wall screen would be one person's typo or prank; 400, nothing kept.
 */
export const PRICE_YUAN_PER_KG = { min: 0.01, max: 1000 } as const;
export const PLOT_KG_PER_MU = 10_000;
export const KG_PER_HEAD: Record<string, number> = {
  forestChicken: 10,
  duck: 10,
  goose: 15,
  pig: 300,
  goat: 100,
  cattle: 1000,
  bees: 50,
};
const DEFAULT_KG_PER_HEAD = 10;

const outOfRange = (field: string) => new AppError('agri_value_implausible', { field });

export function checkPlausible(input: ObservationInput, subject: farms.PlotRecord | farms.FlockRecord, isFlock: boolean): void {
  if (input.kind === 'sale' && input.priceYuanPerKg !== undefined) {
    if (input.priceYuanPerKg < PRICE_YUAN_PER_KG.min || input.priceYuanPerKg > PRICE_YUAN_PER_KG.max) throw outOfRange('priceYuanPerKg');
  }
  if ((input.kind === 'yield' || input.kind === 'sale') && input.quantityKg !== undefined) {
    const most = isFlock
      ? (subject as farms.FlockRecord).headCount * (KG_PER_HEAD[(subject as farms.FlockRecord).species] ?? DEFAULT_KG_PER_HEAD)
      : (subject as farms.PlotRecord).areaMu * PLOT_KG_PER_MU;
    if (input.quantityKg > most) throw outOfRange('quantityKg');
  }
}
