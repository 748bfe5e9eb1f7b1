// What the demo organisation runs and the kinds of change it makes: its CIs and their
// dependencies, its standard-change templates, the changes of its everyday work, and the few
// stories the history must tell (a rollback, a failure, a withdrawal, rework, a veto, emergencies
// with a late and a missing retrospective review).
import type { ChangeFlags } from "../../lib/domain/change-flags";
import type { ChangeType } from "../../lib/domain/change-types";
import type { ImplementationOutcome } from "../../lib/domain/implementation-outcomes";

export const DEMO_CIS = [
  { name: "dns", environment: "production", criticality: 4, exposure: "internet_facing", tags: "network", type: "service" },
  { name: "edge-proxy", environment: "production", criticality: 4, exposure: "internet_facing", tags: "pci network", type: "service" },
  { name: "web-frontend", environment: "production", criticality: 3, exposure: "internet_facing", tags: "pci", type: "application" },
  { name: "auth-service", environment: "production", criticality: 4, exposure: "internal", tags: "identity", type: "service" },
  { name: "orders-api", environment: "production", criticality: 3, exposure: "internal", tags: "pci", type: "application" },
  { name: "payments-db", environment: "production", criticality: 4, exposure: "internal", tags: "pci database", type: "database" },
  { name: "reporting", environment: "production", criticality: 2, exposure: "internal", tags: "analytics", type: "application" },
  { name: "hr-portal", environment: "production", criticality: 2, exposure: "internal", tags: "hipaa", type: "application" },
  { name: "log-pipeline", environment: "production", criticality: 2, exposure: "internal", tags: "observability", type: "service" },
  { name: "build-runner", environment: "tooling", criticality: 1, exposure: "isolated", tags: "ci", type: "host" },
  { name: "staging-web", environment: "staging", criticality: 1, exposure: "internal", tags: "", type: "application" },
] as const;

// dependent → what it depends on
export const DEMO_DEPENDS = {
  "edge-proxy": ["dns"],
  "web-frontend": ["edge-proxy", "orders-api", "auth-service"],
  "orders-api": ["payments-db", "auth-service"],
  reporting: ["payments-db"],
  "hr-portal": ["auth-service"],
} as const;

type CiName = (typeof DEMO_CIS)[number]["name"];

export const DEMO_TEMPLATES: {
  title: string;
  description: string;
  implementationPlan: string;
  backoutPlan: string;
  testPlan: string;
  riskCeiling: "low";
  ci: CiName;
}[] = [
  {
    title: "Rotate the staging web certificate",
    description: "Replace the TLS certificate of the staging web tier before it expires.",
    implementationPlan: "Upload the new certificate to the vault; reload the staging proxies.",
    backoutPlan: "Reload with the previous certificate from the vault.",
    testPlan: "Check the served chain and expiry with openssl.",
    riskCeiling: "low",
    ci: "staging-web",
  },
  {
    title: "Apply the monthly OS patches to the build runner",
    description: "The vendor's monthly security patches on the CI build host.",
    implementationPlan: "Drain the runner; apply the patches; reboot; re-register.",
    backoutPlan: "Boot the previous kernel and restore the image snapshot.",
    testPlan: "Run the pipeline smoke job.",
    riskCeiling: "low",
    ci: "build-runner",
  },
  {
    title: "Restart the log pipeline workers",
    description: "Rolling restart of the log shippers to pick up rotated credentials.",
    implementationPlan: "Restart one worker at a time; wait for its lag to clear.",
    backoutPlan: "Nothing to undo; stop the restart and page the on-call.",
    testPlan: "Consumer lag back under a minute; no dropped events.",
    riskCeiling: "low",
    ci: "log-pipeline",
  },
];

/** One change of the history before it is played: what, where, and how its life goes. */
export type ChangeStory = {
  type: ChangeType;
  title: string;
  cis: CiName[];
  flags?: Partial<ChangeFlags>;
  cves?: { cvssBaseScore: number; knownExploited: boolean }[];
  template?: string;
  emergencyJustification?: string;
  /** Scripted stories: days from today (negative) it is filed. */
  day: number;
  fate: "closed" | "rework" | "rejected" | "withdrawn" | "unreviewed";
  outcome: ImplementationOutcome;
  reviewAfterDays: number;
  /** Hours between the expected approval and the planned start. */
  leadHours: number;
  overruns: boolean;
  comments: number;
};

type Kind = {
  type: ChangeType;
  title: string;
  cis: CiName[];
  flags?: Partial<ChangeFlags>;
  template?: string;
  emergencyJustification?: string;
};

const pci = { regulatedData: true, frameworkTags: ["pci_dss"] };
export const EVERYDAY: Record<"standard" | "normal" | "emergency", Kind[]> = {
  standard: DEMO_TEMPLATES.map((t) => ({ type: "standard" as const, title: t.title, cis: [t.ci], template: t.title })),
  normal: [
    { type: "normal", title: "Lower the TTL of the public DNS zone", cis: ["dns"] },
    { type: "normal", title: "Add DNSSEC signing to the public zone", cis: ["dns"] },
    { type: "normal", title: "Upgrade the edge proxy to the LTS release", cis: ["edge-proxy"], flags: { releaseArtifact: true } },
    { type: "normal", title: "Tighten TLS ciphers on the edge proxy", cis: ["edge-proxy"] },
    { type: "normal", title: "Deploy the checkout redesign", cis: ["web-frontend"], flags: { releaseArtifact: true } },
    { type: "normal", title: "Enable the CDN cache for static assets", cis: ["web-frontend"] },
    { type: "normal", title: "Upgrade the Node runtime of the web frontend", cis: ["web-frontend"], flags: { releaseArtifact: true } },
    { type: "normal", title: "Rotate the auth-service token signing keys", cis: ["auth-service"], flags: { touchesAuth: true } },
    { type: "normal", title: "Scale the orders-api to six replicas", cis: ["orders-api"] },
    { type: "normal", title: "Upgrade the orders-api database driver", cis: ["orders-api"], flags: { releaseArtifact: true } },
    { type: "normal", title: "Vacuum and reindex payments-db", cis: ["payments-db"], flags: pci },
    { type: "normal", title: "Apply the payments-db security patch", cis: ["payments-db"], flags: pci },
    { type: "normal", title: "Archive last year's reporting partitions", cis: ["reporting"] },
    { type: "normal", title: "Upgrade the reporting BI connector", cis: ["reporting"] },
    {
      type: "normal",
      title: "Patch the HR portal framework",
      cis: ["hr-portal"],
      flags: { regulatedData: true, frameworkTags: ["hipaa"] },
    },
    { type: "normal", title: "Stream the audit log to the SIEM", cis: ["log-pipeline"] },
    { type: "normal", title: "Increase log retention to 400 days", cis: ["log-pipeline"], flags: { infraProvisioning: true } },
    { type: "normal", title: "Move the build runner to the new VM image", cis: ["build-runner"], flags: { infraProvisioning: true } },
  ],
  emergency: [
    {
      type: "emergency",
      title: "Emergency: fail over payments-db after a disk fault",
      cis: ["payments-db"],
      emergencyJustification: "Primary disk failing; replication lag growing.",
    },
    {
      type: "emergency",
      title: "Emergency: roll back the broken frontend release",
      cis: ["web-frontend"],
      emergencyJustification: "Checkout errors for a third of customers.",
    },
  ],
};

const scripted = (s: Omit<ChangeStory, "reviewAfterDays" | "leadHours" | "overruns" | "comments"> & Partial<ChangeStory>): ChangeStory => ({
  reviewAfterDays: 2,
  leadHours: 48,
  overruns: false,
  comments: 1,
  ...s,
});

/** The stories the history must tell, whatever the random draw. */
export const CHANGE_STORIES: ChangeStory[] = [
  scripted({
    day: -104,
    type: "normal",
    title: "Add a read replica for payments-db",
    cis: ["payments-db"],
    flags: pci,
    fate: "closed",
    outcome: "rolled_back",
  }),
  scripted({
    day: -76,
    type: "normal",
    title: "Upgrade the auth-service OIDC library",
    cis: ["auth-service"],
    flags: { touchesAuth: true, releaseArtifact: true },
    fate: "closed",
    outcome: "failed",
  }),
  scripted({
    day: -55,
    type: "emergency",
    title: "Emergency: patch the exploited template library",
    cis: ["web-frontend"],
    cves: [{ cvssBaseScore: 9.8, knownExploited: true }],
    emergencyJustification: "Remote code execution exploited in the wild against our framework version.",
    fate: "closed",
    outcome: "successful",
  }),
  scripted({
    day: -62,
    type: "normal",
    title: "Decommission the legacy FTP drop",
    cis: ["reporting"],
    fate: "withdrawn",
    outcome: "successful",
  }),
  scripted({
    day: -41,
    type: "normal",
    title: "Enforce WebAuthn for admin sign-in",
    cis: ["auth-service"],
    flags: { touchesAuth: true },
    fate: "rework",
    outcome: "successful_with_issues",
  }),
  scripted({
    day: -30,
    type: "normal",
    title: "Open the reporting database to the BI vendor",
    cis: ["reporting"],
    flags: { newExternalInterface: true, regulatedData: true },
    fate: "rejected",
    outcome: "successful",
  }),
  // During the peak-trading freeze (an emergency may run inside one); its review comes after the deadline.
  scripted({
    day: -12,
    type: "emergency",
    title: "Emergency: block card-testing bots at the edge proxy",
    cis: ["edge-proxy"],
    emergencyJustification: "Card-testing attack on checkout during the peak trading period.",
    fate: "closed",
    outcome: "successful",
    reviewAfterDays: 7,
  }),
  // Implemented nine days ago and never reviewed: past its retrospective-review deadline.
  scripted({
    day: -9,
    type: "emergency",
    title: "Emergency: restart orders-api nodes leaking memory",
    cis: ["orders-api"],
    emergencyJustification: "Out-of-memory restarts every few minutes; orders failing.",
    fate: "unreviewed",
    outcome: "successful",
  }),
  // The weeks ahead: filed in the last days, scheduled (or still awaiting their votes).
  scripted({
    day: -6,
    type: "normal",
    title: "Stream the audit log to the SIEM",
    cis: ["log-pipeline"],
    fate: "closed",
    outcome: "successful",
    leadHours: 200,
  }),
  scripted({
    day: -5,
    type: "normal",
    title: "Tighten TLS ciphers on the edge proxy",
    cis: ["edge-proxy"],
    fate: "closed",
    outcome: "successful",
    leadHours: 100,
  }),
  scripted({
    day: -4,
    type: "normal",
    title: "Archive last year's reporting partitions",
    cis: ["reporting"],
    fate: "closed",
    outcome: "successful",
    leadHours: 150,
  }),
  scripted({
    day: -3,
    type: "normal",
    title: "Scale the orders-api to six replicas",
    cis: ["orders-api"],
    fate: "closed",
    outcome: "successful",
    leadHours: 120,
  }),
  scripted({
    day: -2,
    type: "standard",
    title: "Apply the monthly OS patches to the build runner",
    cis: ["build-runner"],
    template: "Apply the monthly OS patches to the build runner",
    fate: "closed",
    outcome: "successful",
    leadHours: 40,
  }),
];

export const COMMENTS = [
  "Checked with the service owner.",
  "Monitoring dashboards linked in the runbook.",
  "Window agreed with the business.",
  "Dependent teams informed.",
  "Runbook updated after the change.",
];
