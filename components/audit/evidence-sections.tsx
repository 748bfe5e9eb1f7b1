import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { Section } from "@/components/ui/section";
import type { ControlResult } from "@/lib/domain/control-mapping";
import type { FieldChange } from "@/lib/domain/field-changes";
import type { EvidenceStanding } from "@/lib/domain/waiver-expiry";
import type { ChangeDetail } from "@/lib/server/changes/get-change";
import type { EvidenceChecklistItem, VerifiedEvent } from "@/lib/server/history/load-evidence";

const cell = "px-3 py-2 align-top";
const utc = (d: Date | string | null) => (d ? `${new Date(d).toISOString().replace("T", " ").slice(0, 16)} UTC` : "—");
const STATUS: Record<ControlResult["status"], [string, "good" | "bad" | "neutral"]> = {
  evidenced: ["Evidenced", "good"],
  missing: ["Missing evidence", "bad"],
  not_applicable: ["Not applicable", "neutral"],
};

export function ControlMapping({ controls }: { controls: ControlResult[] }) {
  return (
    <Section title="Framework requirements this record evidences">
      <ul className="divide-y divide-slate-100">
        {controls.map((c) => (
          <li key={`${c.framework}-${c.control}`} className="break-inside-avoid py-3">
            <p className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-semibold">
                {c.framework} {c.control}
              </span>
              <span className="text-slate-600">{c.title}</span>
              <Badge tone={STATUS[c.status][1]}>{STATUS[c.status][0]}</Badge>
            </p>
            <ul className="mt-1 space-y-0.5 text-sm">
              {c.requirements.map((q) => (
                <li key={q.what} className="grid gap-x-3 sm:grid-cols-[16rem_1fr]">
                  <span className="text-slate-600">{q.what}</span>
                  {q.notApplicable ? (
                    <span className="text-slate-500">not applicable: {q.notApplicable}</span>
                  ) : q.evidence ? (
                    <span className="text-slate-900">{q.evidence}</span>
                  ) : (
                    <span className="font-medium text-rose-700">missing</span>
                  )}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </Section>
  );
}

export function FieldChangesSection({ changes }: { changes: FieldChange[] }) {
  return (
    <Section title="Field changes">
      {changes.length === 0 ? (
        <p className="text-sm text-slate-600">No field was changed after the change was filed.</p>
      ) : (
        <DataTable label="Field change log" headers={["Seq", "When", "Who", "Field", "Before", "After"]}>
          {changes.map((c) => (
            <tr key={`${c.seq}-${c.field}`}>
              <td className={`${cell} font-mono`}>{c.seq}</td>
              <td className={`${cell} whitespace-nowrap`}>{utc(c.occurredAt)}</td>
              <td className={cell}>{c.actorEmail ?? "system"}</td>
              <td className={`${cell} font-mono text-xs`}>{c.field}</td>
              <td className={`${cell} max-w-xs whitespace-pre-wrap break-words text-slate-600`}>{c.before}</td>
              <td className={`${cell} max-w-xs whitespace-pre-wrap break-words`}>{c.after}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Section>
  );
}

export function VotesSection({ change }: { change: ChangeDetail }) {
  return (
    <Section title="Approvals and votes">
      {change.type === "standard" && change.template ? (
        <p className="mb-3 text-sm">
          Pre-approved standard change from template “{change.template.title}” v{change.template.version} ({change.template.status}).
        </p>
      ) : null}
      <p className="mb-3 text-sm">Authorized: {utc(change.authorizedAt)}</p>
      {change.votes.length === 0 ? (
        <p className="text-sm text-slate-600">No votes were cast.</p>
      ) : (
        <DataTable label="Votes cast" headers={["Round", "Voter", "Role", "Decision", "Comment", "When"]}>
          {change.votes.map((v) => (
            <tr key={v.id}>
              <td className={cell}>{v.round.number}</td>
              <td className={cell}>{v.voter.name}</td>
              <td className={cell}>{v.role.replaceAll("_", " ")}</td>
              <td className={cell}>
                <Badge tone={v.decision === "approve" ? "good" : v.decision === "reject" ? "bad" : "neutral"}>{v.decision}</Badge>
              </td>
              <td className={`${cell} max-w-sm whitespace-pre-wrap`}>{v.comment || "—"}</td>
              <td className={`${cell} whitespace-nowrap`}>{utc(v.castAt)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Section>
  );
}

const STANDING_TONE = { pending: "neutral", signed: "good", waived: "bad", lapsed: "bad" } as const;

/** What was true while the change relied on the item, and a lapse that came after it. */
function standingLabel({ standing, lapsedOn }: EvidenceStanding): string {
  if (standing === "lapsed") return `waiver lapsed on ${utc(lapsedOn)}`;
  return lapsedOn ? `${standing} (lapsed on ${utc(lapsedOn)})` : standing;
}

export function SignOffsSection({ checklist }: { checklist: EvidenceChecklistItem[] }) {
  return (
    <Section title="Sign-offs and waivers">
      {checklist.length === 0 ? (
        <p className="text-sm text-slate-600">No checklist item applied to this change.</p>
      ) : (
        <DataTable label="Checklist sign-offs" headers={["Item", "Status", "By", "Evidence", "Compensating control", "Residual risk"]}>
          {checklist.map((i) => (
            <tr key={i.id}>
              <td className={cell}>{i.title}</td>
              <td className={cell}>
                <Badge tone={STANDING_TONE[i.standing]}>{standingLabel(i)}</Badge>
              </td>
              <td className={cell}>{i.signedBy ? `${i.signedBy.name}, ${utc(i.signedAt)}` : "—"}</td>
              <td className={`${cell} max-w-xs whitespace-pre-wrap`}>{i.evidence ?? "—"}</td>
              <td className={`${cell} max-w-xs whitespace-pre-wrap`}>{i.compensatingControl ?? "—"}</td>
              <td className={`${cell} max-w-xs whitespace-pre-wrap`}>{i.residualRisk ?? "—"}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Section>
  );
}

export function CommentsSection({ change }: { change: ChangeDetail }) {
  return (
    <Section title="Comments">
      {change.comments.length === 0 ? (
        <p className="text-sm text-slate-600">No comments.</p>
      ) : (
        <ul className="space-y-2 text-sm">
          {change.comments.map((c) => (
            <li key={c.id}>
              <span className="font-medium">{c.author.name}</span> <span className="text-slate-500">{utc(c.createdAt)}</span>
              <p className="whitespace-pre-wrap">{c.body}</p>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function AuditEventsSection({ events }: { events: VerifiedEvent[] }) {
  const broken = events.filter((e) => !e.hashMatches).length;
  return (
    <Section title="Audit events">
      <p className="mb-3 text-sm" role="status">
        {broken === 0 ? (
          `Every one of the ${events.length} events' hashes was recomputed from its content when this page was drawn, and matches.`
        ) : (
          <span className="font-medium text-rose-700">
            {broken} of {events.length} events do not hash to their stored hash: the log was altered.
          </span>
        )}
      </p>
      <DataTable
        label="Events with their hashes"
        headers={["Seq", "When and who", "Action and reason", "Previous hash → hash", "Recomputed"]}
      >
        {events.map((e) => (
          <tr key={e.seq}>
            <td className={`${cell} font-mono`}>{e.seq}</td>
            <td className={cell}>
              <span className="block whitespace-nowrap">{utc(e.occurredAt)}</span>
              <span className="block text-slate-600">{e.actorEmail ?? "system"}</span>
            </td>
            <td className={cell}>
              <span className="block font-mono text-xs">{e.action}</span>
              {e.reason ? <span className="block max-w-xs whitespace-pre-wrap text-slate-700">{e.reason}</span> : null}
            </td>
            <td className={`${cell} font-mono text-[11px]`}>
              <span className="block text-slate-500">{e.prevHash}</span>
              <span className="block">{e.hash}</span>
            </td>
            <td className={cell}>{e.hashMatches ? <Badge tone="good">matches</Badge> : <Badge tone="bad">differs</Badge>}</td>
          </tr>
        ))}
      </DataTable>
    </Section>
  );
}
