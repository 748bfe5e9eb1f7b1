import type { Metadata } from "next";
import { parseCheckpointListParams } from "@/lib/domain/queue-params";
import type { Params } from "@/lib/domain/search-params";
import Link from "next/link";
import { LiveVerify } from "@/components/audit/live-verify";
import { TakeCheckpointForm } from "@/components/audit/take-checkpoint-form";
import { Badge } from "@/components/ui/badge";
import { buttonStyles } from "@/components/ui/button-styles";
import { DataTable, EmptyState } from "@/components/ui/data-table";
import { NextPage } from "@/components/ui/next-page";
import { PageHeader } from "@/components/ui/page-header";
import { Facts, Section } from "@/components/ui/section";
import { keyIdOf } from "@/lib/domain/audit-checkpoint";
import { requirePage } from "@/lib/server/auth/current-actor";
import { auditRetention } from "@/lib/server/audit/audit-retention";
import { auditSettings } from "@/lib/server/audit/audit-settings";
import { auditPublicKeyPem } from "@/lib/server/audit/checkpoints";
import { readCheckpoints, readKeyRotations } from "@/lib/server/audit-verification/read-checkpoints";
import { takeCheckpointAction } from "./actions";

export const metadata: Metadata = { title: "Verify audit log" };

const PAGE = 20;
const REASONS = { periodic: "Periodic", on_demand: "On demand", export: "Export", key_rotation: "Key rotation" } as const;
const utc = (d: Date | string) => new Date(d).toISOString().replace("T", " ").slice(0, 16) + " UTC";

export default async function VerifyPage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requirePage("/audit/verify");
  const { after: beforeId } = parseCheckpointListParams(await searchParams);
  const after = beforeId === undefined ? undefined : String(beforeId);
  const [page, retention, publicKey, rotations] = await Promise.all([
    readCheckpoints(actor, { beforeId, limit: PAGE + 1 }),
    auditRetention(),
    auditPublicKeyPem(),
    readKeyRotations(actor),
  ]);
  const rows = page.slice(0, PAGE);
  const nextCursor = page.length > PAGE ? String(rows.at(-1)!.id) : null;
  return (
    <>
      <PageHeader
        title="Verify audit log"
        description="Recompute the hash chain of every audit event in the database, check that each signed checkpoint is genuine and that the chain still passes through it. Each run is itself recorded in the audit log."
      />
      <div className="space-y-6">
        <Section title="Live verification">
          <LiveVerify />
        </Section>

        <Section title="Signing key">
          <p className="mb-3 text-sm text-slate-600">
            Checkpoints and export manifests are signed with Ed25519. Keep this public key: with it,{" "}
            <code className="font-mono">
              npm run audit:verify -- export.jsonl --manifest export.manifest.json --public-key key.pem --checkpoint kept.json
            </code>{" "}
            proves on any machine, with no database, that a later export still contains the events a checkpoint you kept had seen.
          </p>
          <Facts
            items={[
              [
                "Key id",
                <code key="id" className="font-mono">
                  {keyIdOf(publicKey)}
                </code>,
              ],
            ]}
          />
          <pre className="mt-3 rounded-md bg-slate-50 p-3 font-mono text-xs break-all whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200">
            {publicKey}
          </pre>
          <a href="/api/audit/public-key" className={`${buttonStyles.secondary} mt-3`} download>
            Download public key (PEM)
          </a>
          {rotations.length > 0 && (
            <p className="mt-3 text-sm text-slate-600">
              Key history: {rotations.map((r) => `${r.previousKeyId} → ${r.keyId} at event ${r.seq}`).join("; ")}. Each rotation is an audit
              event signed by the key it retired; the verifier follows them from any key you trust.
            </p>
          )}
        </Section>

        <Section title="Signed checkpoints">
          <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
            <p className="max-w-2xl text-sm text-slate-600">
              A checkpoint is taken every {Intl.NumberFormat("en").format(auditSettings().checkpointEvery)} events, with every export and on
              demand. Download one and keep it outside this system.
            </p>
            <TakeCheckpointForm action={takeCheckpointAction} />
          </div>
          {rows.length === 0 ? (
            <EmptyState>No checkpoint yet. Take one now, or one is taken with the next export.</EmptyState>
          ) : (
            <DataTable label="Signed checkpoints" headers={["Event", "Hash", "Signed at", "Reason", "Key", ""]}>
              {rows.map((cp) => (
                <tr key={cp.id}>
                  <td className="px-4 py-2.5 font-medium tabular-nums">{cp.seq}</td>
                  <td className="px-4 py-2.5 font-mono text-xs text-slate-600" title={cp.hash}>
                    {cp.hash.slice(0, 16)}…
                  </td>
                  <td className="whitespace-nowrap px-4 py-2.5 text-slate-600">{utc(cp.createdAt)}</td>
                  <td className="px-4 py-2.5">
                    <Badge tone={cp.reason === "on_demand" ? "info" : "neutral"}>{REASONS[cp.reason]}</Badge>
                  </td>
                  <td className="px-4 py-2.5 font-mono text-xs text-slate-600">{cp.keyId}</td>
                  <td className="px-4 py-2.5 text-right">
                    <a href={`/api/audit/checkpoints/${cp.id}`} className="text-indigo-700 hover:underline" download>
                      Download<span className="sr-only"> checkpoint at event {cp.seq}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
          <NextPage path="/audit/verify" after={after} nextCursor={nextCursor} />
        </Section>

        <Section title="Retention">
          <Facts
            items={[
              [
                "Retention period",
                `${Intl.NumberFormat("en").format(retention.days)} days (about ${Math.round(retention.days / 365)} years)`,
              ],
              ["Events in the log", Intl.NumberFormat("en").format(retention.eventCount)],
              ["Oldest event", retention.oldestEventAt ? utc(retention.oldestEventAt) : ""],
              ["Oldest event kept at least until", retention.oldestKeptUntil ? utc(retention.oldestKeptUntil) : ""],
            ]}
          />
          <p className="mt-3 text-sm text-slate-600">
            The application never deletes audit events: the database refuses UPDATE, DELETE and TRUNCATE on them, even past the retention
            period. Archiving is an export: download the{" "}
            <Link href="/api/audit/export" prefetch={false} className="text-indigo-700 underline hover:text-indigo-900">
              whole log as JSON Lines
            </Link>
            , keep it with its checkpoint and verify it offline with <code className="font-mono">npm run audit:verify</code>.
          </p>
        </Section>
      </div>
    </>
  );
}
