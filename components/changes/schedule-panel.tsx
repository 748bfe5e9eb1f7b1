import { ConflictList } from "@/components/schedule/conflict-list";
import { DateTimeField } from "@/components/ui/date-time-field";
import { Section } from "@/components/ui/section";
import type { ActorFacts, ChangeFacts } from "@/lib/domain/change-facts";
import {
  decideApproveFreezeException,
  decideRequestFreezeException,
  EXCEPTION_APPROVER_ROLES,
  isExceptionGranted,
  type StoredFreezeException,
} from "@/lib/domain/decide-freeze-exception";
import { decideReschedule } from "@/lib/domain/decide-reschedule";
import { ROLE_LABELS } from "@/lib/domain/roles";
import type { Conflict } from "@/lib/domain/schedule-conflicts";
import { formatUtc, formatUtcRange } from "@/lib/domain/utc-time";
import type { FormAction } from "@/lib/domain/form-state";
import { StepForm, StepTextArea } from "./step-form";

type Exception = StoredFreezeException & {
  reason: string;
  requestedAt: Date;
  managerApprovedAt: Date | null;
  securityApprovedAt: Date | null;
  requestedBy: { name: string };
  managerApprover: { name: string } | null;
  securityApprover: { name: string } | null;
};

function ExceptionStatus({ exception, facts }: { exception: Exception; facts: ChangeFacts }) {
  const current =
    facts.plannedStart?.getTime() === exception.windowStart.getTime() && facts.plannedEnd?.getTime() === exception.windowEnd.getTime();
  const approval = (who: { name: string } | null, at: Date | null) => (who && at ? `${who.name}, ${formatUtc(at)}` : "awaited");
  return (
    <div className="rounded-md bg-slate-50 p-3 text-sm ring-1 ring-slate-200">
      <p className="font-medium">
        Freeze exception{" "}
        {isExceptionGranted(exception)
          ? current
            ? "granted"
            : "granted for an earlier window"
          : current
            ? "requested"
            : "requested for an earlier window"}
      </p>
      <p className="mt-1 text-slate-600">
        For {formatUtcRange(exception.windowStart, exception.windowEnd)}, asked by {exception.requestedBy.name}: {exception.reason}
      </p>
      <dl className="mt-2 grid grid-cols-[10rem_1fr] gap-1">
        <dt className="text-slate-600">Change manager</dt>
        <dd>{approval(exception.managerApprover, exception.managerApprovedAt)}</dd>
        <dt className="text-slate-600">Security reviewer</dt>
        <dd>{approval(exception.securityApprover, exception.securityApprovedAt)}</dd>
      </dl>
    </div>
  );
}

/** Conflicts of the planned window, the freeze exception, and rescheduling (change managers). */
export function SchedulePanel({
  facts,
  version,
  actor,
  conflicts,
  exception,
  requestAction,
  approveAction,
  rescheduleAction,
}: {
  facts: ChangeFacts;
  version: number;
  actor: ActorFacts;
  conflicts: readonly Conflict[];
  exception: Exception | null;
  requestAction: FormAction;
  approveAction: FormAction;
  rescheduleAction: FormAction;
}) {
  const now = new Date();
  const canRequest = decideRequestFreezeException(facts, actor, "reason", exception).allowed;
  const approveAs = EXCEPTION_APPROVER_ROLES.filter((role) => decideApproveFreezeException(facts, actor, role, exception).allowed);
  const farFuture = { start: new Date(now.getTime() + 86_400_000), end: new Date(now.getTime() + 90_000_000) };
  const canReschedule = decideReschedule(facts, actor, farFuture, now, []).allowed;
  return (
    <Section title="Schedule and conflicts" id="schedule">
      <p className="mb-3 text-sm text-slate-600">
        {facts.plannedStart && facts.plannedEnd
          ? `Planned for ${formatUtcRange(facts.plannedStart, facts.plannedEnd)}.`
          : "No planned window yet."}
      </p>
      <ConflictList conflicts={conflicts} />
      <div className="mt-4 space-y-4">
        {exception ? <ExceptionStatus exception={exception} facts={facts} /> : null}
        {canRequest ? (
          <StepForm action={requestAction} hidden={{ changeId: facts.id }} submitLabel="Ask for a freeze exception" variant="secondary">
            <StepTextArea
              name="reason"
              label="Why it cannot wait until the freeze ends"
              hint="A change manager and a security reviewer, neither of them the requester or implementer, must both approve."
            />
          </StepForm>
        ) : null}
        {approveAs.map((role) => (
          <StepForm
            key={role}
            action={approveAction}
            hidden={{ changeId: facts.id, role }}
            submitLabel={`Approve the freeze exception as ${ROLE_LABELS[role].toLowerCase()}`}
            variant="secondary"
          />
        ))}
        {canReschedule ? (
          <details className="rounded-md ring-1 ring-slate-200" open={conflicts.some((c) => c.severity === "block")}>
            <summary className="cursor-pointer px-3 py-2 text-sm font-medium">Move the planned window…</summary>
            <div className="border-t border-slate-200 p-3">
              <StepForm action={rescheduleAction} hidden={{ changeId: facts.id, version }} submitLabel="Reschedule" variant="secondary">
                <div className="grid gap-3 sm:grid-cols-2">
                  <DateTimeField label="Planned start" name="plannedStart" defaultValue={facts.plannedStart?.toISOString()} />
                  <DateTimeField label="Planned end" name="plannedEnd" defaultValue={facts.plannedEnd?.toISOString()} />
                </div>
                <p className="text-xs text-slate-500">
                  The conflicts are checked again for the new window; a scheduled change is never moved into a freeze.
                </p>
              </StepForm>
            </div>
          </details>
        ) : null}
      </div>
    </Section>
  );
}
