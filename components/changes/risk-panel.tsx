import { Section } from "@/components/ui/section";
import type { RiskFactor } from "@/lib/domain/risk";
import type { RiskLevel } from "@/lib/domain/risk-levels";
import { RiskBadge } from "./risk-badge";

/** The score, its level and what each factor contributed, so nobody has to trust a bare number. */
export function RiskPanel({ score, level, stored }: { score: number | null; level: RiskLevel | null; stored: unknown }) {
  const factors = (stored as { factors?: RiskFactor[] } | null)?.factors ?? [];
  return (
    <Section title="Risk">
      {score === null ? (
        <p className="text-sm text-slate-600">Scored when the change is submitted, and again at assessment.</p>
      ) : (
        <>
          <p className="mb-3 flex items-center gap-3 text-sm">
            <RiskBadge level={level} score={score} />
            <span className="text-slate-600">out of 100</span>
          </p>
          <table className="w-full text-sm">
            <thead className="text-left text-xs uppercase tracking-wider text-slate-500">
              <tr>
                <th className="py-1">Factor</th>
                <th className="py-1 text-right">Points</th>
                <th className="py-1 pl-4">Why</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {factors.map((f) => (
                <tr key={f.factor}>
                  <td className="py-1.5 pr-2 font-medium">{f.factor.replace(/([A-Z])/g, " $1").toLowerCase()}</td>
                  <td className="py-1.5 text-right tabular-nums">
                    {f.points} / {f.max}
                  </td>
                  <td className="py-1.5 pl-4 text-slate-600">{f.explanation}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Section>
  );
}
