"use client";

import { useId, useRef } from "react";
import { useFormStatus } from "react-dom";
import { buttonStyles, type ButtonVariant } from "./button-styles";

/** A button that asks before submitting its form; the question names what will happen. Each dialog has its own id, as a list shows many. */
export function ConfirmSubmit({
  label,
  title,
  body,
  confirmLabel,
  variant = "danger",
}: {
  label: string;
  title: string;
  body: string;
  confirmLabel: string;
  variant?: ButtonVariant;
}) {
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
            {confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
