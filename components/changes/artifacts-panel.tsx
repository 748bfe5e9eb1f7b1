import { Section } from "@/components/ui/section";
import { describeLimits, type ScanPolicyResult } from "@/lib/domain/scan-policy";
import type { ChangePageDetail } from "@/lib/server/changes/get-change";

const when = (d: Date | null) => (d ? `${d.toISOString().replace("T", " ").slice(0, 16)} UTC` : "");
const count = (n: number | null) => (n === null ? "?" : String(n));

/** The artifacts the change ships (the approval covers exactly their digests) and how their scans hold the policy. */
export function ArtifactsPanel({ change, scan }: { change: ChangePageDetail; scan: ScanPolicyResult }) {
  if (!change.releaseArtifact && change.artifacts.length === 0) return null;
  const failing = new Set(scan.violations.map((v) => v.digest));
  return (
    <Section title="Release artifacts">
      <p className="mb-3 text-sm text-slate-700">
        {scan.applies ? (
          scan.passes ? (
            <>
              Scan policy for {scan.environments.join(", ")} ({describeLimits(scan.limits!)}): every artifact holds it.
            </>
          ) : (
            <span className="text-rose-800">
              Scan policy for {scan.environments.join(", ")} ({describeLimits(scan.limits!)}):{" "}
              {scan.violations.map((v) => v.message).join(" ")}
            </span>
          )
        ) : (
          <>No scan policy rule covers this change&apos;s configuration items.</>
        )}
      </p>
      {change.artifacts.length === 0 ? (
        <p className="text-sm text-slate-500">No artifacts listed yet.</p>
      ) : (
        <ul className="space-y-3">
          {change.artifacts.map((a) => (
            <li key={a.id} className={`rounded-md p-3 text-sm ring-1 ${failing.has(a.digest) ? "ring-rose-300" : "ring-slate-200"}`}>
              <p className="font-medium">
                {a.name} <span className="text-slate-600">{a.version}</span>
              </p>
              <p>
                <code className="break-all font-mono text-xs">{a.digest}</code>
              </p>
              <dl className="mt-2 grid gap-x-4 gap-y-1 text-xs sm:grid-cols-[9rem_1fr]">
                {[
                  ["Source", [a.sourceRepository, a.sourceCommit].filter(Boolean).join(" @ ")],
                  ["SBOM", a.sbomRef ?? ""],
                  ["Provenance", a.provenanceRef ?? ""],
                  [
                    "Scan",
                    a.scanScanner || a.scannedAt || a.scanCritical !== null
                      ? `${a.scanScanner ?? "scanner not named"}${a.scannedAt ? `, ${when(a.scannedAt)}` : ""}: ${count(a.scanCritical)} critical, ${count(a.scanHigh)} high, ${count(a.scanMedium)} medium, ${count(a.scanLow)} low, ${count(a.scanKnownExploited)} known exploited`
                      : "no scan summary",
                  ],
                ].map(([label, value]) => (
                  <div key={label} className="contents">
                    <dt className="font-medium text-slate-600">{label}</dt>
                    <dd className="min-w-0 wrap-anywhere text-slate-900">{value || <span className="text-slate-500">—</span>}</dd>
                  </div>
                ))}
              </dl>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
