import { Badge } from "@/components/ui/badge";
import { DataTable, EmptyState } from "@/components/ui/data-table";
import type { FormAction } from "@/lib/domain/form-state";
import type { SessionView } from "@/lib/server/users/user-sessions";
import { EndSessionForm } from "./end-session-form";

const utc = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/**
 * Live sessions, most recently used first. `end` ends one (never offered for this session, which
 * the normal sign-out ends); `fields` adds what the action needs besides the session's id.
 */
export function SessionTable({
  sessions,
  end,
  fields = {},
  label,
  whose,
}: {
  sessions: SessionView[];
  end: FormAction;
  fields?: Record<string, string>;
  label: string;
  whose: "your" | "their";
}) {
  if (sessions.length === 0) return <EmptyState>No live sessions.</EmptyState>;
  return (
    <DataTable label={label} headers={["Device", "Address", "Signed in", "Last seen", ""]}>
      {sessions.map((s) => (
        <tr key={s.id} className="align-top" data-testid="session-row">
          <td className="px-4 py-2.5">
            <span className="font-medium" title={s.userAgent ?? undefined}>
              {s.device}
            </span>
            {s.current ? (
              <span className="ml-2">
                <Badge tone="good">This session</Badge>
              </span>
            ) : null}
            <span className="block text-xs text-slate-600">{s.method === "sso" ? "Single sign-on" : "Password"}</span>
          </td>
          <td className="px-4 py-2.5 text-slate-600">{s.clientAddress ?? "Unknown"}</td>
          <td className="px-4 py-2.5 whitespace-nowrap text-slate-600">{utc(s.createdAt)}</td>
          <td className="px-4 py-2.5 whitespace-nowrap text-slate-600">{utc(s.lastSeenAt)}</td>
          <td className="px-4 py-2.5">
            {s.current ? null : (
              <EndSessionForm
                action={end}
                fields={{ ...fields, sessionId: s.id }}
                label="Sign out"
                title={`Sign out ${s.device}?`}
                body={`That session (${s.clientAddress ?? "unknown address"}) is signed out at its next request; ${whose === "your" ? "you" : "they"} can sign in there again.`}
                confirmLabel="Sign it out"
              />
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
