"use client";

import { useState } from "react";
import { buttonStyles } from "@/components/ui/button-styles";

/** A new signing secret, shown this once after it is made. */
export function OneTimeSecret({ secret, message }: { secret: string; message?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="space-y-2 rounded-md bg-emerald-50 p-4 ring-1 ring-emerald-200">
      <p className="text-sm font-medium text-emerald-900">{message}</p>
      <p className="text-sm text-emerald-900">Copy the signing secret now: it is shown this once and cannot be shown again.</p>
      <div className="flex flex-wrap items-center gap-2">
        <input
          aria-label="Signing secret"
          data-testid="webhook-secret"
          readOnly
          value={secret}
          onFocus={(event) => event.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-xs"
        />
        <button
          type="button"
          className={buttonStyles.secondary}
          onClick={() =>
            navigator.clipboard.writeText(secret).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <p className="text-xs text-emerald-900">
        Receivers verify each request with it (Standard Webhooks: <code>new Webhook(secret).verify(body, headers)</code>).
      </p>
    </div>
  );
}
