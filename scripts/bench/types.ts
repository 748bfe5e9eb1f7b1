// What every bench row module receives and returns; the runner (scripts/bench/run-bench.ts) prints the table.
import type { AppServer } from "./app-server";

export type BenchSize = { changes: number; database: string; appUrl: string; ownerUrl: string };

export type BenchContext = {
  small: BenchSize;
  large: BenchSize;
  /** Seconds of load per measured URL. */
  duration: number;
  /** A `next start` of the app on that database, one per size, started on first use and kept up; measure one at a time (two cores). */
  server: (size: BenchSize) => Promise<AppServer>;
  /** Where plans and other long output go (.data/bench). */
  outDir: string;
  log: (line: string) => void;
};

/** One line of the table: the project's figure, the raw baseline measured in the same run, their ratio and the target. */
export type BenchRow = {
  name: string;
  figure: string;
  baseline: string;
  ratio: number | null;
  /** e.g. ">= 0.5" or "<= 3"; the ratio is compared with it. */
  target: string;
  note?: string;
  /** Whether an absolute target (e.g. "< 1 ms") is met, where the ratio is not what the target compares. */
  meets?: boolean;
};

export type BenchModule = { title: string; run: (ctx: BenchContext) => Promise<BenchRow[]> };

export function meets(row: BenchRow): boolean | null {
  if (row.meets !== undefined) return row.meets;
  if (row.ratio === null) return null;
  const m = /^(>=|<=)\s*([\d.]+)$/.exec(row.target);
  if (!m) return null;
  return m[1] === ">=" ? row.ratio >= Number(m[2]) : row.ratio <= Number(m[2]);
}

export const ms = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
export const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
export const perSecond = (v: number, unit: string) => `${v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(1)} ${unit}/s`;

// `--rounds N` (default 3): rows that load pages measure them N times, the sizes alternating
// within each round, and report medians: a burst of load on a shared machine moves one round,
// not the row, and a size comparison is of measurements minutes apart at most.
const roundsArg = process.argv.indexOf("--rounds");
export const ROUNDS = roundsArg > 0 ? Math.max(1, Number(process.argv[roundsArg + 1])) : 3;

/**
 * Prepares a row's measurement at both sizes, then takes it ROUNDS times, the small size then the
 * large within each round: a machine that slows down mid-run slows both sizes alike.
 */
export async function inAlternatingRounds<T>(
  ctx: BenchContext,
  prepare: (ctx: BenchContext, size: BenchSize) => Promise<(round: number) => Promise<T>>,
): Promise<{ small: T[]; large: T[] }> {
  const [measureSmall, measureLarge] = [await prepare(ctx, ctx.small), await prepare(ctx, ctx.large)];
  const small: T[] = [];
  const large: T[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    small.push(await measureSmall(r));
    large.push(await measureLarge(r));
  }
  return { small, large };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
