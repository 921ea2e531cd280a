/** One figure; names are stable so that runs can be compared across versions. */
export type BenchResult = {
  name: string;
  value: number;
  unit: string;
  reference: string;
  referenceValue: number;
  /** value / referenceValue. */
  ratio: number;
};
