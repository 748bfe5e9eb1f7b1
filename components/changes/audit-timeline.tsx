"use client";

// A client component fed plain data, though it has no state: the change page's largest static
// sections render once in SSR this way, instead of being serialized into the React payload and
// rendered again from it (docs/performance.md, change page).
import type { AuditEventRecord } from "@/lib/domain/audit-event";

/** What a timeline entry shows of an event; the rest (before, after, ...) is in the evidence view. */
export type TimelineEvent = Pick<AuditEventRecord, "seq" | "action" | "actorEmail" | "occurredAt" | "reason" | "hash">;

/** The change's history as the audit log holds it, oldest first, with each event's hash. */
export function AuditTimeline({ events }: { events: TimelineEvent[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-500">No events yet.</p>;
  return (
    <ol className="space-y-3">
      {events.map((e) => (
        <li key={e.seq} className="border-l-2 border-indigo-200 pl-3 text-sm">
          <p>
            <span className="font-medium">{e.action.replace(/^change\./, "").replaceAll("_", " ")}</span>
            <span className="text-slate-500"> by {e.actorEmail ?? "the system"} · </span>
            <time dateTime={e.occurredAt} className="text-slate-500">
              {e.occurredAt.replace("T", " ").slice(0, 16)} UTC
            </time>
          </p>
          {e.reason ? <p className="text-slate-700">“{e.reason}”</p> : null}
          <p className="font-mono text-xs text-slate-500" title={e.hash}>
            #{e.seq} · {e.hash.slice(0, 16)}…
          </p>
        </li>
      ))}
    </ol>
  );
}
