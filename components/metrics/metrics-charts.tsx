"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

type Datum = { label: string; value: number; note?: string };

/** One bar chart: labels along the bottom, values up the side; the tooltip gives the exact figure. */
export function MetricBarChart({
  title,
  data,
  unit,
  color = "#4f46e5",
  max,
}: {
  title: string;
  data: Datum[];
  unit: string;
  color?: string;
  max?: number;
}) {
  return (
    <figure className="min-w-0 overflow-hidden rounded-lg bg-white p-4 ring-1 ring-slate-200" data-testid="metric-chart">
      <figcaption className="mb-2 text-sm font-semibold text-slate-800">{title}</figcaption>
      {data.length === 0 ? (
        <p className="flex h-[200px] items-center justify-center text-sm text-slate-500">No data in this period.</p>
      ) : (
        <ResponsiveContainer width="100%" height={200} initialDimension={{ width: 400, height: 200 }}>
          <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis
              dataKey="label"
              tick={{ fontSize: 11 }}
              interval={0}
              angle={data.length > 4 ? -30 : 0}
              textAnchor={data.length > 4 ? "end" : "middle"}
              height={data.length > 4 ? 56 : 30}
            />
            <YAxis
              tick={{ fontSize: 12 }}
              width={48}
              domain={[0, max ?? "auto"]}
              unit={unit === "%" ? "%" : ""}
              allowDecimals={unit !== "changes"}
              tickFormatter={(v: number) => (v === 0 ? "0" : Number(v.toPrecision(2)).toLocaleString("en-GB"))}
            />
            <Tooltip
              formatter={(value, _name, item) => [
                `${Number(value).toLocaleString("en-GB", { maximumFractionDigits: 1 })}${unit === "%" ? "%" : ` ${unit}`}${(item.payload as Datum).note ? ` (${(item.payload as Datum).note})` : ""}`,
                title,
              ]}
            />
            <Bar dataKey="value" fill={color} radius={[4, 4, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
