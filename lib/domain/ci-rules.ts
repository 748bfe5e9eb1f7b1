import { z } from "zod";
import { EXPOSURES } from "./exposure";

/** Configuration items (domain.md, "Configuration items"): criticality 1-4, exposure, tags, dependencies. */
export const CRITICALITIES = [1, 2, 3, 4] as const;
export const CRITICALITY_LABELS: Record<number, string> = { 1: "1 · Low", 2: "2 · Moderate", 3: "3 · High", 4: "4 · Mission critical" };

/** Offered as suggestions; other values are allowed. */
export const SUGGESTED_ENVIRONMENTS = ["production", "staging", "test", "development", "disaster-recovery"] as const;
export const SUGGESTED_CI_TYPES = ["application", "service", "database", "server", "network", "storage", "saas"] as const;

export const MAX_TAGS = 20;
export const MAX_DEPENDENCIES = 100;
const TAG = /^[a-z0-9][a-z0-9._:-]{0,39}$/;

const text = (what: string, max: number) => z.string().trim().min(1, `Enter the ${what}.`).max(max, `Use at most ${max} characters.`);

/** Tags arrive as one comma- or space-separated string; they are stored lower-cased and once each. */
export function parseTags(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(/[\s,]+/)
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

export const ciSchema = z.object({
  name: text("name", 120),
  type: text("type", 60).transform((s) => s.toLowerCase()),
  environment: text("environment", 60).transform((s) => s.toLowerCase()),
  owner: text("owner (a team or a person)", 120),
  criticality: z.coerce
    .number({ message: "Choose a criticality from 1 to 4." })
    .int("Choose a criticality from 1 to 4.")
    .min(1, "Choose a criticality from 1 to 4.")
    .max(4, "Choose a criticality from 1 to 4."),
  exposure: z.enum(EXPOSURES, { message: "Choose internet-facing, internal or isolated." }),
  tags: z
    .string()
    .default("")
    .transform(parseTags)
    .pipe(
      z
        .array(z.string())
        .max(MAX_TAGS, `Use at most ${MAX_TAGS} tags.`)
        // One message on the field, not on the n-th tag: the form shows errors per field.
        .refine((tags) => tags.every((t) => TAG.test(t)), "Tags use letters, digits, '.', '_', ':' or '-' (at most 40 characters each)."),
    ),
});
export type CiInput = z.infer<typeof ciSchema>;

/** An edit carries the updatedAt it was rendered with (compare-and-set). */
export const ciEditSchema = ciSchema.extend({
  id: z.uuid("Unknown configuration item."),
  updatedAt: z.iso.datetime({ message: "Reload the page and try again." }),
});

export const ciDependenciesSchema = z.object({
  id: z.uuid("Unknown configuration item."),
  updatedAt: z.iso.datetime({ message: "Reload the page and try again." }),
  dependsOnIds: z
    .array(z.uuid("Unknown configuration item."))
    .max(MAX_DEPENDENCIES, `A configuration item can depend on at most ${MAX_DEPENDENCIES} others.`)
    .transform((ids) => [...new Set(ids)]),
});

export const STALE_CI_MESSAGE = "This item was changed by someone else; reload to see their change.";

export type DependencyEdge = { ciId: string; dependsOnId: string };

/**
 * Would `ciId` depending on `dependsOnIds` close a loop in the dependency graph? `edges` are
 * the other existing dependencies (at least those reachable from `dependsOnIds`; the ones
 * leaving `ciId` are ignored, since the new set replaces them). Returns the loop as a path of
 * ids that starts and ends with `ciId`, or null when there is none.
 */
export function dependencyCycle(ciId: string, dependsOnIds: readonly string[], edges: readonly DependencyEdge[]): string[] | null {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (e.ciId === ciId) continue;
    next.set(e.ciId, [...(next.get(e.ciId) ?? []), e.dependsOnId]);
  }
  next.set(ciId, [...dependsOnIds]);
  // Depth-first from ciId; `parent` remembers how each node was first reached, to report the path.
  const parent = new Map<string, string>();
  const stack = [ciId];
  const seen = new Set<string>([ciId]);
  while (stack.length) {
    const node = stack.pop()!;
    for (const target of next.get(node) ?? []) {
      if (target === ciId) return pathTo(node, parent, ciId);
      if (seen.has(target)) continue;
      seen.add(target);
      parent.set(target, node);
      stack.push(target);
    }
  }
  return null;
}

function pathTo(last: string, parent: Map<string, string>, ciId: string): string[] {
  const path = [ciId];
  for (let node: string | undefined = last; node && node !== ciId; node = parent.get(node)) path.splice(1, 0, node);
  return [...path, ciId];
}

/** The refusal for a loop, in the names an admin knows: "A → B → A". */
export function cycleMessage(path: readonly string[], nameOf: (id: string) => string): string {
  return `That would make a dependency loop: ${path.map(nameOf).join(" → ")}. A configuration item cannot depend, even indirectly, on itself.`;
}
