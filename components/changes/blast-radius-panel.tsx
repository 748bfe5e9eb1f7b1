"use client";

// A client component fed plain data, though it has no state: the change page's largest static
// sections render once in SSR this way, instead of being serialized into the React payload and
// rendered again from it (docs/performance.md, change page).
import { Section } from "@/components/ui/section";
import type { CiDependencyEdge } from "@/lib/domain/blast-radius";
import type { BlastNode, BlastRadius } from "@/lib/server/cis/load-blast-radius";
import { CriticalityBadge } from "@/components/cis/ci-badges";

const COL = 190;
const ROW = 34;
const NODE_W = 150;
const MAX_DRAWN = 25;

/** The change's CIs (left) and what depends on them, column by distance; arrows point at the dependent. */
function BlastGraph({ nodes, edges }: { nodes: BlastNode[]; edges: CiDependencyEdge[] }) {
  const drawn = nodes.slice(0, MAX_DRAWN);
  const columns = new Map<number, BlastNode[]>();
  for (const n of drawn) columns.set(n.depth, [...(columns.get(n.depth) ?? []), n]);
  const place = new Map<string, { x: number; y: number }>();
  for (const [depth, list] of columns) list.forEach((n, i) => place.set(n.id, { x: 8 + depth * COL, y: 8 + i * ROW }));
  const width = 16 + Math.max(...columns.keys()) * COL + NODE_W;
  const height = 16 + Math.max(...[...columns.values()].map((l) => l.length)) * ROW;
  const fill = (n: BlastNode) => (n.depth === 0 ? "#e0e7ff" : n.criticality >= 4 ? "#ffe4e6" : n.criticality === 3 ? "#fef3c7" : "#f1f5f9");
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label="Dependency graph of the blast radius"
      className="max-w-full"
    >
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
          <path d="M0 0 L10 5 L0 10 z" fill="#94a3b8" />
        </marker>
      </defs>
      {/* Stroke and marker are inherited: set once for every arrow instead of on each. */}
      <g stroke="#94a3b8" strokeWidth="1.2" markerEnd="url(#arrow)">
        {edges.map((e) => {
          const from = place.get(e.dependsOnId);
          const to = place.get(e.ciId);
          if (!from || !to || to.x <= from.x) return null;
          return <line key={`${e.ciId}-${e.dependsOnId}`} x1={from.x + NODE_W} y1={from.y + 12} x2={to.x - 2} y2={to.y + 12} />;
        })}
      </g>
      {drawn.map((n) => {
        const p = place.get(n.id)!;
        return (
          <g key={n.id}>
            <rect x={p.x} y={p.y} width={NODE_W} height={24} rx={5} fill={fill(n)} stroke={n.depth === 0 ? "#6366f1" : "#cbd5e1"} />
            <text x={p.x + 8} y={p.y + 16} fontSize="12" fill="#0f172a">
              {n.name.length > 20 ? `${n.name.slice(0, 19)}…` : n.name}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

const distance = (depth: number) => (depth === 1 ? "direct" : `${depth} steps away`);

/** "5 direct · 10 2 steps away · 1040 further, up to 42 steps away": deep graphs stay one short line. */
function byDistance(counts: BlastRadius["countsByDepth"]): string {
  const near = counts.slice(0, 3).map((c) => `${c.count} ${distance(c.depth)}`);
  const far = counts.slice(3);
  if (far.length === 0) return near.join(" · ");
  const rest = far.reduce((sum, c) => sum + c.count, 0);
  return [...near, `${rest} further, up to ${far.at(-1)!.depth} steps away`].join(" · ");
}

export function BlastRadiusPanel({ blast }: { blast: BlastRadius }) {
  const { nodes, edges, dependentCount, countsByDepth } = blast;
  const listed = nodes.filter((n) => n.depth > 0);
  return (
    <Section title="Blast radius">
      <p className="mb-3 text-sm text-slate-600">
        {dependentCount === 0
          ? "Nothing depends on the configuration items this change touches."
          : `${dependentCount} configuration item${dependentCount === 1 ? " depends" : "s depend"}, directly or through others, on what this change touches. The count feeds the risk score.`}
      </p>
      {countsByDepth.length > 1 || listed.length < dependentCount ? (
        <p className="mb-3 text-xs text-slate-500">By distance: {byDistance(countsByDepth)}</p>
      ) : null}
      {nodes.length > 0 ? (
        <div className="overflow-x-auto rounded-md bg-slate-50 p-2 ring-1 ring-slate-200">
          <BlastGraph nodes={nodes} edges={edges} />
        </div>
      ) : null}
      {listed.length > 0 ? (
        <ul className="mt-3 divide-y divide-slate-100 text-sm">
          {listed.map((n) => (
            <li key={n.id} className="flex items-center justify-between gap-2 py-1.5">
              <span className="text-slate-800">{n.name}</span>
              <span className="flex items-center gap-2 text-xs text-slate-500">
                {distance(n.depth)} · {n.environment} <CriticalityBadge criticality={n.criticality} />
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {listed.length < dependentCount ? (
        <p className="mt-2 text-xs text-slate-500">
          The {listed.length} nearest are listed, the most critical first at each distance; the other {dependentCount - listed.length} are
          counted by distance above.
        </p>
      ) : null}
    </Section>
  );
}
