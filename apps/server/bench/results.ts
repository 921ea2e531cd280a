/** One figure; names are stable so that runs can be compared across versions. */
export type BenchResult = {
  name: string;
  value: number;
  unit: string;
  reference: string;
  referenceValue: number;
  /**
   * value / referenceValue. Latencies are measured in whole milliseconds (autocannon), so a latency
   * ratio divides by at least 1 ms.
   */
  ratio: number;
};
