"use client";

import { useState } from "react";
import { buttonStyles } from "@/components/ui/button-styles";
import type { VerifyStreamLine } from "@/lib/server/audit-verification/stream-live-verification";
import type { LiveVerification } from "@/lib/server/audit-verification/verify-live-chain";

type State =
  | { phase: "idle" }
  | { phase: "running"; checked: number; total: number }
  | { phase: "done"; result: LiveVerification }
  | { phase: "failed"; message: string };

/** Runs the live verification and shows its progress as the server streams it. */
export function LiveVerify() {
  const [state, setState] = useState<State>({ phase: "idle" });

  async function run() {
    setState({ phase: "running", checked: 0, total: 0 });
    try {
      const response = await fetch("/api/audit/verify", { method: "POST" });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => ({}))) as { error?: string };
        return setState({ phase: "failed", message: body.error ?? `The server answered ${response.status}.` });
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let rest = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const lines = (rest + value).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines.filter(Boolean)) apply(JSON.parse(line) as VerifyStreamLine);
      }
    } catch {
      setState({ phase: "failed", message: "The connection broke before the verification finished. Try again." });
    }
  }

  function apply(line: VerifyStreamLine) {
    if (line.type === "progress") setState({ phase: "running", checked: line.checked, total: line.total });
    else if (line.type === "result") setState({ phase: "done", result: line.result });
    else setState({ phase: "failed", message: line.message });
  }

  const running = state.phase === "running";
  return (
    <div className="space-y-3">
      <button type="button" onClick={run} disabled={running} className={buttonStyles.primary}>
        {running ? "Verifying…" : state.phase === "idle" ? "Verify the audit log now" : "Verify again"}
      </button>
      {running ? (
        <div className="space-y-1">
          <progress className="h-2 w-full max-w-md" max={Math.max(state.total, 1)} value={state.checked} aria-label="Events verified" />
          <p className="text-sm text-slate-600" aria-live="polite">
            {state.total ? `${state.checked.toLocaleString("en")} of ${state.total.toLocaleString("en")} events checked…` : "Starting…"}
          </p>
        </div>
      ) : null}
      {state.phase === "done" ? <Outcome result={state.result} /> : null}
      {state.phase === "failed" ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}

function checkpointsPhrase(count: number): string {
  if (count === 0) return "there is no signed checkpoint to check yet.";
  return count === 1 ? "the signed checkpoint matches." : `all ${count} signed checkpoints match.`;
}

function Outcome({ result }: { result: LiveVerification }) {
  return (
    <div className="space-y-2">
      {result.ok ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
          <strong>Verified.</strong> All {result.checked.toLocaleString("en")} events chain correctly up to event {result.head.seq} (hash{" "}
          <code className="font-mono">{result.head.hash.slice(0, 16)}…</code>); {checkpointsPhrase(result.checkpointsChecked)}
        </p>
      ) : (
        <div role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200">
          <strong>Broken at event {result.broken!.seq}</strong> ({result.broken!.problem.replaceAll("_", " ")}): {result.broken!.message}
          <span className="block text-rose-700">{result.checked.toLocaleString("en")} events verified before it.</span>
        </div>
      )}
      {result.columns === "rebuilt" ? (
        // An alert, not a note: the schema guarding the log was changed, which an auditor must not miss.
        <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
          <strong>The log&apos;s agreement constraint is missing or altered.</strong> It keeps every event&apos;s columns equal to the bytes
          its hash covers, and only a change to the database schema can remove it. Each event was rebuilt from its columns instead, so the
          result above still holds; ask the database administrator who changed the schema.
        </p>
      ) : null}
    </div>
  );
}
