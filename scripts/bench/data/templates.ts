// 20 approved standard-change templates, each proposed by one change manager and approved by another.
import { copyTable } from "../../lib/history/table-columns";
import { SYSTEMS, type Ci } from "./cmdb";
import { DAY, HOUR, type BenchUser, type GeneratorContext } from "./generator-context";

export type Template = { id: string; title: string; cis: Ci[] };

export const VERBS = [
  "Upgrade",
  "Patch",
  "Migrate",
  "Resize",
  "Rotate certificates on",
  "Reconfigure",
  "Decommission",
  "Scale out",
  "Harden",
  "Fail over",
];

export async function writeTemplates(ctx: GeneratorContext, cis: Ci[], managers: BenchUser[], setupAt: number): Promise<Template[]> {
  const { owner, r, plan, count } = ctx;
  const templates: Template[] = [];
  const templateRows: unknown[][] = [];
  const templateCiRows: unknown[][] = [];
  for (let i = 0; i < 20; i++) {
    const t = { id: r.uuid(), title: `${r.pick(VERBS)} ${r.pick(SYSTEMS)} (standard procedure ${i + 1})`, cis: r.sample(cis, r.int(1, 3)) };
    templates.push(t);
    const at = setupAt + 2 * DAY + i * HOUR;
    templateRows.push([
      t.id,
      r.uuid(),
      1,
      t.title,
      "A routine, pre-approved procedure.",
      "Follow the runbook.",
      "Restore the previous version.",
      "Smoke tests pass.",
      r.pick(["low", "medium"]),
      "approved",
      managers[0]!.id,
      managers[1]!.id,
      new Date(at + HOUR),
      new Date(at),
    ]);
    for (const ci of t.cis) templateCiRows.push([t.id, ci.id]);
    plan(at, managers[0]!, "template.proposed", "template", t.id, null, { after: { title: t.title, version: 1 } });
    plan(at + HOUR, managers[1]!, "template.approved", "template", t.id, null, { after: { version: 1 } });
  }
  await copyTable(owner, "change_templates", templateRows);
  await copyTable(owner, "template_cis", templateCiRows);
  count("change_templates", templateRows.length);
  count("template_cis", templateCiRows.length);
  return templates;
}
