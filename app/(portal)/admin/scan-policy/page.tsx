import type { Metadata } from "next";
import { ScanPolicyForm } from "@/components/scan-policy/scan-policy-form";
import { DataTable } from "@/components/ui/data-table";
import { Section } from "@/components/ui/section";
import { PageHeader } from "@/components/ui/page-header";
import { DEFAULT_SCAN_POLICY, describeLimits } from "@/lib/domain/scan-policy";
import { scanPolicyFormValues } from "@/lib/domain/scan-policy-form";
import { requirePage } from "@/lib/server/auth/current-actor";
import { loadScanPolicy, SCAN_POLICY_SETTING } from "@/lib/server/settings/scan-policy";
import { saveScanPolicyAction } from "./actions";

export const metadata: Metadata = { title: "Scan policy" };

const limit = (n: number | null) => (n === null ? "any" : String(n));

export default async function ScanPolicyPage() {
  await requirePage("/admin/scan-policy");
  const policy = await loadScanPolicy();
  const isDefault = policy === DEFAULT_SCAN_POLICY;
  return (
    <>
      <PageHeader
        title="Scan policy"
        description="Which vulnerability scan findings a release artifact may carry, by the environment and criticality of the configuration items a change touches. Every rule that matches one of a change's CIs applies, the strictest limit wins. A change whose artifacts break it cannot be authorized unless a security reviewer waives the checklist item with a compensating control and an expiry; the deployment gate applies the same rule."
      />
      <p className="mb-4 text-sm text-slate-700">
        {isDefault ? "The default policy applies" : "A configured policy applies"}: it is the app setting{" "}
        <code className="font-mono text-xs">{SCAN_POLICY_SETTING}</code>, which an admin edits below (validated on save and on read; a value
        that does not parse falls back to the default, which refuses critical and known-exploited findings in production).
      </p>
      <DataTable
        label="Scan policy rules"
        headers={["Environment", "CI criticality", "Critical", "High", "Medium", "Low", "Known exploited", "Scan required", "In words"]}
      >
        {policy.rules.map((r, i) => (
          <tr key={i}>
            {[
              r.environment === "*" ? "any" : r.environment,
              `${r.minCriticality} or more`,
              limit(r.maxCritical),
              limit(r.maxHigh),
              limit(r.maxMedium),
              limit(r.maxLow),
              limit(r.maxKnownExploited),
              r.requireScan ? "yes" : "no",
              describeLimits(r),
            ].map((cell, j) => (
              <td key={j} className="px-4 py-2.5">
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </DataTable>
      <div className="mt-6">
        <Section title="Edit the policy">
          <ScanPolicyForm action={saveScanPolicyAction} initial={scanPolicyFormValues(policy)} />
        </Section>
      </div>
    </>
  );
}
