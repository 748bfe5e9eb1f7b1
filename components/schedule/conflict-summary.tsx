import Link from "next/link";
import { Badge } from "@/components/ui/badge";

/** summarizeConflicts's result as plain data: the blocks' messages, the rest counted in words. */
export type ConflictSummaryView = { blocks: string[]; others: string | null };

/** A queue row's conflicts in a few lines: every block spelled out, the rest counted, a link to all. */
export function ConflictSummary({ summary, href }: { summary: ConflictSummaryView; href: string }) {
  const { blocks, others } = summary;
  if (blocks.length === 0 && !others) return null;
  return (
    <div role="group" className="space-y-2 text-sm" aria-label="Schedule conflicts">
      {blocks.map((message, i) => (
        <p key={i} className="rounded-md bg-rose-50 p-2.5 ring-1 ring-rose-200">
          <Badge tone="bad">Blocks scheduling</Badge> <span className="text-slate-900">{message}</span>
        </p>
      ))}
      {others ? (
        <p className="rounded-md bg-amber-50 p-2.5 ring-1 ring-amber-200">
          <Badge tone="warn">Conflicts</Badge> <span className="text-slate-900">{others}.</span>
        </p>
      ) : null}
      <p>
        <Link href={href} className="text-indigo-700 hover:underline">
          See the conflicts and how to proceed
        </Link>
      </p>
    </div>
  );
}
