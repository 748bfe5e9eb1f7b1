"use client";

import { useState, type ReactNode } from "react";
import { buttonStyles } from "@/components/ui/button-styles";

/** A secret shown this once after it is made (a token, a signing secret), with a copy button. */
export function OneTimeValue({
  value,
  label,
  testId,
  what,
  message,
  hint,
}: {
  value: string;
  /** The field's accessible name. */
  label: string;
  testId: string;
  /** What to copy, in the sentence "Copy the … now". */
  what: string;
  message?: string;
  hint: ReactNode;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="space-y-2 rounded-md bg-emerald-50 p-4 ring-1 ring-emerald-200">
      {message ? <p className="text-sm font-medium text-emerald-900">{message}</p> : null}
      <p className="text-sm text-emerald-900">Copy the {what} now: it is shown this once and cannot be shown again.</p>
      <div className="flex flex-wrap items-center gap-2">
        <input
          aria-label={label}
          data-testid={testId}
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-xs"
        />
        <button
          type="button"
          className={buttonStyles.secondary}
          onClick={() =>
            navigator.clipboard.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <p className="text-xs text-emerald-900">{hint}</p>
    </div>
  );
}
