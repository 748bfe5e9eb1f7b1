// 2,000 configuration items; each depends on up to four earlier ones (a DAG, like real stacks).
import { pgTextArray } from "../../lib/history/copy";
import { copyTable } from "../../lib/history/table-columns";
import { DAY, type BenchUser, type GeneratorContext } from "./generator-context";

export type Ci = { id: string; name: string; criticality: number; exposure: string };

export const CI_KINDS = ["service", "database", "host", "network", "queue", "storage", "gateway", "cache"];
export const SYSTEMS = [
  "billing",
  "payments",
  "identity",
  "search",
  "orders",
  "catalog",
  "ledger",
  "reporting",
  "mail",
  "crm",
  "inventory",
  "shipping",
  "analytics",
  "portal",
  "hr",
  "vpn",
];

/** Writes the CMDB, created by `admin` a day after `setupAt`. */
export async function writeCmdb(ctx: GeneratorContext, admin: BenchUser, setupAt: number): Promise<Ci[]> {
  const { owner, r, plan, count } = ctx;
  const cis: Ci[] = [];
  const ciRows: unknown[][] = [];
  const depRows: unknown[][] = [];
  for (let i = 0; i < 2_000; i++) {
    const environment = r.weighted({ production: 50, staging: 25, development: 25 });
    const ci = {
      id: r.uuid(),
      name: `${r.pick(SYSTEMS)}-${r.pick(CI_KINDS)}-${environment.slice(0, 4)}-${String(i).padStart(4, "0")}`,
      criticality: r.int(1, 4),
      exposure: r.weighted({ internet_facing: 20, internal: 65, isolated: 15 }),
    };
    cis.push(ci);
    ciRows.push([
      ci.id,
      ci.name,
      r.pick(CI_KINDS),
      environment,
      `team-${r.pick(SYSTEMS)}`,
      ci.criticality,
      ci.exposure,
      pgTextArray(r.sample(["pci", "gdpr", "tier1", "legacy", "k8s", "vm", "saas"], r.int(0, 2))),
      new Date(setupAt),
      new Date(setupAt),
    ]);
    const deps =
      i === 0
        ? []
        : r.sample(
            Array.from({ length: Math.min(i, 50) }, (_, k) => i - 1 - k),
            r.int(0, 4),
          );
    for (const d of deps) depRows.push([ci.id, cis[d]!.id]);
    plan(setupAt + DAY + i * 1000, admin, "ci.created", "configuration_item", ci.id, null, {
      after: { name: ci.name, environment, criticality: ci.criticality },
    });
  }
  await copyTable(owner, "configuration_items", ciRows);
  await copyTable(owner, "ci_dependencies", depRows);
  count("configuration_items", ciRows.length);
  count("ci_dependencies", depRows.length);
  return cis;
}
