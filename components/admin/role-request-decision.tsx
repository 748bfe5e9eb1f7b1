"use client";

import { useActionState, useId, useRef } from "react";
import { useFormStatus } from "react-dom";
import type { FormAction } from "@/lib/domain/form-state";
import { buttonStyles, type ButtonVariant } from "@/components/ui/button-styles";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { StepUpPrompt } from "@/components/auth/step-up-prompt";
import { formValues } from "@/components/ui/form-values";

/** A button that asks first; each has its own dialog id, as a list shows many. */
function Confirm({ label, title, body, variant }: { label: string; title: string; body: string; variant: ButtonVariant }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { pending } = useFormStatus();
  return (
    <>
      <button type="button" className={buttonStyles[variant]} disabled={pending} onClick={() => dialog.current?.showModal()}>
        {pending ? "Working…" : label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-full max-w-md rounded-xl p-0 shadow-xl backdrop:bg-slate-900/40">
        <div className="space-y-3 p-6">
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <p className="text-sm text-slate-600">{body}</p>
        </div>
        <div className="flex justify-end gap-2 bg-slate-50 px-6 py-3">
          <button type="button" className={buttonStyles.secondary} onClick={() => dialog.current?.close()} autoFocus>
            Cancel
          </button>
          <button type="submit" className={buttonStyles[variant]} onClick={() => dialog.current?.close()}>
            {label}
          </button>
        </div>
      </dialog>
    </>
  );
}

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
        <Confirm
          label="Withdraw"
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
        <Confirm
          label="Approve"
          title={`Approve ${what}?`}
          body="The role is granted at once and takes effect at their next request. Your approval is recorded in the audit log."
          variant="primary"
        />
      </form>
      <form action={refuseAction} className="space-y-2" noValidate>
        <FormMessage ok={refused.ok} message={refused.message} />
        <input type="hidden" name="requestId" value={requestId} />
        <Field label="Reason for refusing" {...r.field("reason")} error={refused.fieldErrors?.reason} maxLength={1000} />
        <Confirm label="Refuse" title={`Refuse ${what}?`} body="The requesting admin is told, with your reason." variant="danger" />
      </form>
    </div>
  );
}
