import Link from "next/link";
import { dayWindow, isoDay } from "@/lib/domain/calendar-range";
import { changeReference } from "@/lib/domain/change-visibility";
import type { ChangeType } from "@/lib/domain/change-types";
import { overlaps, type FreezeWindowFacts } from "@/lib/domain/schedule-windows";
import type { CalendarChange } from "@/lib/server/schedule/calendar";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
export const TYPE_BAR: Record<ChangeType, string> = {
  standard: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  normal: "bg-indigo-100 text-indigo-900 ring-indigo-300",
  emergency: "bg-rose-100 text-rose-900 ring-rose-300",
  major: "bg-amber-100 text-amber-900 ring-amber-300",
};
// Diagonal stripes: a freeze reads as shaded even without colour.
const FROZEN = { backgroundImage: "repeating-linear-gradient(135deg, rgba(244,63,94,0.10) 0 6px, transparent 6px 12px)" };
const hhmm = (d: Date) => d.toISOString().slice(11, 16);

function ChangeBar({ change, day, detailed }: { change: CalendarChange; day: Date; detailed: boolean }) {
  const startsToday = isoDay(change.planned_start) === isoDay(day);
  const label = `${changeReference(change.number)} ${change.title}`;
  const when = `${startsToday ? hhmm(change.planned_start) : "…"}${detailed ? `–${isoDay(change.planned_end) === isoDay(day) ? hhmm(change.planned_end) : "…"}` : ""}`;
  const body = (
    <>
      <span className="font-mono">{when}</span> <span className={detailed ? "" : "truncate"}>{change.title}</span>
      {detailed ? (
        <span className="block text-[11px] opacity-75">
          {change.ci_names.join(", ")}
          {change.state === "implementing" ? " · implementing" : ""}
        </span>
      ) : null}
    </>
  );
  const className = `block rounded px-1.5 py-0.5 text-xs ring-1 ring-inset ${TYPE_BAR[change.type]} ${detailed ? "" : "truncate"} ${change.state === "implementing" ? "border-l-4 border-current" : ""}`;
  const title = `${label} (${change.type}, ${change.state}) ${isoDay(change.planned_start)} ${hhmm(change.planned_start)} – ${isoDay(change.planned_end)} ${hhmm(change.planned_end)} UTC`;
  return change.canOpen ? (
    <Link href={`/changes/${change.id}`} className={`${className} hover:brightness-95`} title={title} data-testid="calendar-change">
      {body}
    </Link>
  ) : (
    <span className={className} title={title}>
      {body}
    </span>
  );
}

/** Month or week as a table of UTC days, a row per week: change bars on each day they cover, freezes shaded. */
export function CalendarGrid({
  days,
  month,
  changes,
  freezes,
  detailed,
}: {
  days: Date[];
  month: number | null;
  changes: CalendarChange[];
  freezes: FreezeWindowFacts[];
  detailed: boolean;
}) {
  const today = isoDay(new Date());
  const weeks = Array.from({ length: Math.ceil(days.length / 7) }, (_, i) => days.slice(i * 7, i * 7 + 7));
  return (
    // relative: the days' screen-reader text (absolute) stays in this box instead of widening a phone's page;
    // focusable, so a keyboard can scroll it where it is wider than the screen.
    <div role="region" aria-label="Calendar" tabIndex={0} className="relative overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200">
      {/* A plain table: it reads by week and weekday without the arrow-key model a grid role promises. */}
      <table className="w-full min-w-[48rem] table-fixed border-collapse" aria-label="Change calendar">
        <thead>
          <tr>
            {WEEKDAYS.map((w) => (
              <th
                key={w}
                scope="col"
                className="border-b border-slate-200 bg-slate-50 px-2 py-1.5 text-left text-xs font-semibold uppercase tracking-wider text-slate-600"
              >
                {w}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]!.toISOString()}>
              {week.map((day) => {
                const window = dayWindow(day);
                const frozen = freezes.filter((f) => overlaps(window, f));
                const todays = changes.filter((c) => overlaps(window, { start: c.planned_start, end: c.planned_end }));
                const outside = month !== null && day.getUTCMonth() !== month;
                const isToday = isoDay(day) === today;
                return (
                  <td
                    key={day.toISOString()}
                    data-frozen={frozen.length > 0 || undefined}
                    aria-current={isToday ? "date" : undefined}
                    className={`border-b border-r border-slate-100 p-1.5 align-top ${detailed ? "h-72" : "h-28"} ${outside ? "bg-slate-50/60" : ""}`}
                    style={frozen.length ? FROZEN : undefined}
                  >
                    <div className="space-y-1">
                      <div className="flex items-center justify-between gap-1">
                        <span className="sr-only">{isoDay(day)}</span>
                        <span
                          aria-hidden="true"
                          className={`text-xs ${isToday ? "rounded-full bg-indigo-600 px-1.5 font-semibold text-white" : outside ? "text-slate-500" : "text-slate-700"}`}
                        >
                          {day.getUTCDate()}
                        </span>
                        {frozen.length ? (
                          <span className="truncate text-[11px] font-medium text-rose-700" title={frozen.map((f) => f.reason).join("; ")}>
                            Freeze: {frozen[0]!.reason}
                          </span>
                        ) : null}
                      </div>
                      {todays.map((c) => (
                        <ChangeBar key={c.id} change={c} day={day} detailed={detailed} />
                      ))}
                    </div>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CalendarLegend() {
  return (
    <p className="mt-3 flex flex-wrap items-center gap-3 text-xs text-slate-600">
      {(Object.keys(TYPE_BAR) as ChangeType[]).map((t) => (
        <span key={t} className={`rounded px-1.5 py-0.5 ring-1 ring-inset ${TYPE_BAR[t]}`}>
          {t[0]!.toUpperCase() + t.slice(1)}
        </span>
      ))}
      <span className="rounded px-1.5 py-0.5 ring-1 ring-inset ring-rose-200" style={FROZEN}>
        Freeze window
      </span>
      <span>A thick left edge: implementing now. Times are UTC.</span>
    </p>
  );
}
