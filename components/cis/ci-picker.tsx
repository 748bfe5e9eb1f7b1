"use client";

import { useEffect, useId, useState } from "react";
import { CriticalityBadge } from "./ci-badges";

export type PickerCi = { id: string; name: string; environment: string; criticality: number };
type Search = (query: string) => Promise<PickerCi[]>;

/** Search CIs by name, environment or tag and pick several; each pick travels as a hidden input named `name`. */
export function CiPicker({
  name,
  legend,
  initial,
  search,
  excludeId,
  error,
  hint,
}: {
  name: string;
  legend: string;
  initial: PickerCi[];
  search: Search;
  excludeId?: string;
  error?: string;
  hint?: string;
}) {
  const id = useId();
  const [picked, setPicked] = useState<PickerCi[]>(initial);
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<PickerCi[]>([]);
  const [status, setStatus] = useState("");

  useEffect(() => {
    let current = true;
    if (!query.trim()) return;
    const timer = setTimeout(() => {
      search(query)
        .then((items) => {
          if (!current) return;
          setResults(items);
          setStatus(items.length ? "" : "No configuration item matches.");
        })
        .catch(() => current && setStatus("Search failed; try again."));
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, search]);

  const pickedIds = new Set(picked.map((p) => p.id));
  const searching = query.trim() !== "";
  const offered = (searching ? results : []).filter((ci) => !pickedIds.has(ci.id) && ci.id !== excludeId);
  return (
    <fieldset className="space-y-2" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
      {picked.map((ci) => (
        <input key={ci.id} type="hidden" name={name} value={ci.id} />
      ))}
      <ul className="flex flex-wrap gap-2" aria-label={`Chosen: ${legend}`}>
        {picked.length === 0 ? <li className="text-sm text-slate-500">None chosen.</li> : null}
        {picked.map((ci) => (
          <li
            key={ci.id}
            className="inline-flex items-center gap-1 rounded-full bg-indigo-50 py-0.5 pl-3 pr-1 text-sm text-indigo-800 ring-1 ring-indigo-200"
          >
            {ci.name}
            <button
              type="button"
              aria-label={`Remove ${ci.name}`}
              className="rounded-full px-1.5 hover:bg-indigo-100"
              onClick={() => setPicked(picked.filter((p) => p.id !== ci.id))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <label htmlFor={`${id}-search`} className="sr-only">
        Search configuration items
      </label>
      <input
        id={`${id}-search`}
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => e.key === "Enter" && e.preventDefault()}
        placeholder="Search by name, environment or tag"
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
      />
      {offered.length ? (
        <ul
          className="max-h-56 divide-y divide-slate-100 overflow-y-auto rounded-md ring-1 ring-slate-200"
          aria-label="Matching configuration items"
        >
          {offered.map((ci) => (
            <li key={ci.id} className="flex items-center justify-between gap-2 bg-white px-3 py-1.5 text-sm">
              <span className="flex items-center gap-2">
                <span className="font-medium">{ci.name}</span>
                <span className="text-slate-500">{ci.environment}</span>
                <CriticalityBadge criticality={ci.criticality} />
              </span>
              <button
                type="button"
                className="rounded px-2 py-0.5 text-indigo-700 ring-1 ring-indigo-200 hover:bg-indigo-50"
                onClick={() => setPicked([...picked, ci])}
              >
                Add <span className="sr-only">{ci.name}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <p className="text-xs text-slate-500" aria-live="polite">
        {searching ? status : ""}
      </p>
      {error ? (
        <p id={`${id}-error`} className="text-sm text-rose-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
