import "server-only";
import type { ChangeFacts } from "@/lib/domain/change-facts";
import { applicableItems } from "@/lib/domain/checklist";
import type { Tx } from "../db/transaction";

/** Gives the change a row for every checklist item that applies now; pending rows that no longer apply go. Sign-offs stay. */
export async function syncChecklist(tx: Tx, facts: ChangeFacts): Promise<void> {
  const items = applicableItems(facts);
  await tx.checklistItem.deleteMany({ where: { changeId: facts.id, status: "pending", key: { notIn: items.map((i) => i.key) } } });
  await tx.checklistItem.createMany({
    data: items.map((i) => ({
      changeId: facts.id,
      key: i.key,
      title: i.title,
      signerRole: i.signerRole,
      evidenceWanted: i.evidence,
      preImplementation: i.preImplementation,
    })),
    skipDuplicates: true,
  });
}
