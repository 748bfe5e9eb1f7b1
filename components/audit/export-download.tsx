"use client";

import { useRef, useState } from "react";
import { buttonStyles } from "@/components/ui/button-styles";
import { csvRecordCounter } from "@/lib/domain/csv";

type Status =
  | { phase: "idle" }
  | { phase: "downloading"; rows: number; expected: number; bytes: number }
  | { phase: "done"; rows: number; fileName: string; manifestUrl: string; sha256: string | null }
  | { phase: "failed"; message: string };

const number = new Intl.NumberFormat("en");

/**
 * Downloads an export through fetch so the page can show progress as rows arrive, then saves the
 * file and links its manifest (row count, SHA-256, chain head, signed checkpoint).
 */
export function ExportDownload({ href, label }: { href: string; label: string }) {
  const [status, setStatus] = useState<Status>({ phase: "idle" });
  const abort = useRef<AbortController | null>(null);

  async function start() {
    const controller = new AbortController();
    abort.current = controller;
    setStatus({ phase: "downloading", rows: 0, expected: 0, bytes: 0 });
    try {
      const response = await fetch(href, { signal: controller.signal });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => null)) as { error?: string } | null;
        throw new Error(body?.error ?? `The export failed (HTTP ${response.status}).`);
      }
      const csv = (response.headers.get("content-type") ?? "").includes("text/csv");
      const expected = Number(response.headers.get("x-export-expected-rows") ?? 0);
      const fileName = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "export";
      const manifestUrl = response.headers.get("x-export-manifest") ?? "";
      const counter = csvRecordCounter();
      const decoder = new TextDecoder();
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      let bytes = 0;
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        bytes += value.byteLength;
        const records = counter.feed(decoder.decode(value, { stream: true }));
        // The CSV's header row is a record but not a row.
        setStatus({ phase: "downloading", rows: csv ? Math.max(0, records - 1) : records, expected, bytes });
      }
      const blob = new Blob(chunks, { type: response.headers.get("content-type") ?? "application/octet-stream" });
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      const manifest = (await fetch(manifestUrl)
        .then((r) => (r.ok ? r.json() : null))
        .catch(() => null)) as { rowCount: number; sha256: string } | null;
      setStatus({ phase: "done", rows: manifest?.rowCount ?? counter.records, fileName, manifestUrl, sha256: manifest?.sha256 ?? null });
    } catch (error) {
      if (controller.signal.aborted) setStatus({ phase: "idle" });
      else setStatus({ phase: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  }

  return (
    <div className="flex flex-col items-start gap-1 text-sm">
      {status.phase === "downloading" ? (
        <div className="flex items-center gap-2" role="status" aria-live="polite">
          <progress
            className="h-2 w-40"
            max={status.expected || undefined}
            value={status.expected ? status.rows : undefined}
            aria-label={`${label} progress`}
          />
          <span className="tabular-nums text-slate-700">
            {number.format(status.rows)}
            {status.expected ? ` of ${number.format(status.expected)}` : ""} rows · {number.format(Math.round(status.bytes / 1024))} KiB
          </span>
          <button type="button" className={buttonStyles.secondary} onClick={() => abort.current?.abort()}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className={buttonStyles.secondary} onClick={start}>
          {label}
        </button>
      )}
      {status.phase === "done" ? (
        <p role="status" className="max-w-md text-xs text-slate-600">
          Saved <span className="font-mono">{status.fileName}</span>: {number.format(status.rows)} rows
          {status.sha256 ? (
            <>
              , SHA-256 <span className="break-all font-mono">{status.sha256}</span>
            </>
          ) : null}
          .{" "}
          <a className="font-medium text-indigo-700 hover:underline" href={status.manifestUrl} download>
            Download manifest
          </a>
        </p>
      ) : null}
      {status.phase === "failed" ? (
        <p role="alert" className="text-xs text-rose-700">
          {status.message}
        </p>
      ) : null}
    </div>
  );
}
