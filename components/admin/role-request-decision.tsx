"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { StepUpPrompt } from "@/components/auth/step-up-prompt";
import { formValues } from "@/components/ui/form-values";

type Props = {
  requestId: string;
  /** "Admin for Nora New", for the questions. */
  what: string;
  /** Whose turn: the requester withdraws, the grantee waits, any other admin decides. */
  viewer: "requester" | "grantee" | "decider";
  approve: FormAction;
  refuse: FormAction;
  withdraw: FormAction;
};

/** Approve, refuse (with a reason) or withdraw one role grant request, each after confirming. */
export function RoleRequestDecision({ requestId, what, viewer, approve, refuse, withdraw }: Props) {
  const [approved, approveAction] = useActionState(approve, { ok: true });
  const [refused, refuseAction] = useActionState(refuse, { ok: true });
  const [withdrawn, withdrawAction] = useActionState(withdraw, { ok: true });
  const r = formValues(refused);
  if (viewer === "grantee") return <p className="text-sm text-slate-500">Another admin decides a request for your own role.</p>;
  if (viewer === "requester")
    return (
      <form action={withdrawAction} className="space-y-2">
        <FormMessage ok={withdrawn.ok} message={withdrawn.message} />
        <p className="text-sm text-slate-500">You asked for it; a second admin decides.</p>
        <input type="hidden" name="requestId" value={requestId} />
        <ConfirmSubmit
          label="Withdraw"
          confirmLabel="Withdraw"
          title={`Withdraw the request for ${what}?`}
          body="Nobody can approve it after this."
          variant="secondary"
        />
      </form>
    );
  return (
    <div className="space-y-3">
      <form action={approveAction} className="space-y-2">
        <FormMessage ok={approved.ok} message={approved.message} />
        <StepUpPrompt state={approved} />
        <input type="hidden" name="requestId" value={requestId} />
        <ConfirmSubmit
          label="Approve"
          confirmLabel="Approve"
          title={`Approve ${what}?`}
          body="The role is granted at once and takes effect at their next request. Your approval is recorded in the audit log."
          variant="primary"
        />
      </form>
      <form action={refuseAction} className="space-y-2" noValidate>
        <FormMessage ok={refused.ok} message={refused.message} />
        <input type="hidden" name="requestId" value={requestId} />
        <Field label="Reason for refusing" {...r.field("reason")} error={refused.fieldErrors?.reason} maxLength={1000} />
        <ConfirmSubmit
          label="Refuse"
          confirmLabel="Refuse"
          title={`Refuse ${what}?`}
          body="The requesting admin is told, with your reason."
          variant="danger"
        />
      </form>
    </div>
  );
}
