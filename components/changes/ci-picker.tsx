"use client";

import { useEffect, useState } from "react";

export type PickedCi = { id: string; name: string; environment: string; criticality: number };

/** Search configuration items by name or tag and pick several; each pick travels as a hidden `ciIds` input. */
export function CiPicker({ initial, error }: { initial: PickedCi[]; error?: string }) {
  const [picked, setPicked] = useState<PickedCi[]>(initial);
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<PickedCi[]>([]);
  const [status, setStatus] = useState<string>("");

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/cis?q=${encodeURIComponent(query)}&limit=8`, { signal: controller.signal });
        const body = await response.json();
        if (!response.ok) return setStatus(body.error ?? "Search failed.");
        setResults(body.items);
        setStatus(body.items.length ? "" : "No configuration item matches.");
      } catch {
        if (!controller.signal.aborted) setStatus("Search failed; try again.");
      }
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const pickedIds = new Set(picked.map((p) => p.id));
  return (
    <fieldset className="space-y-2" aria-describedby={error ? "cis-error" : undefined}>
      <legend className="text-sm font-medium text-slate-800">Affected configuration items</legend>
      {picked.map((ci) => <input key={ci.id} type="hidden" name="ciIds" value={ci.id} />)}
      <ul className="flex flex-wrap gap-2" aria-label="Chosen configuration items">
        {picked.length === 0 ? <li className="text-sm text-slate-500">None chosen yet.</li> : null}
        {picked.map((ci) => (
          <li key={ci.id} className="inline-flex items-center gap-1 rounded-full bg-indigo-50 py-0.5 pl-3 pr-1 text-sm text-indigo-800 ring-1 ring-indigo-200">
            {ci.name}
            <button type="button" aria-label={`Remove ${ci.name}`} className="rounded-full px-1.5 hover:bg-indigo-100" onClick={() => setPicked(picked.filter((p) => p.id !== ci.id))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <label htmlFor="ci-search" className="sr-only">Search configuration items</label>
      <input
        id="ci-search"
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => e.key === "Enter" && e.preventDefault()}
        placeholder="Search by name or tag"
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
      />
      <ul className="max-h-56 divide-y divide-slate-100 overflow-y-auto rounded-md ring-1 ring-slate-200" aria-label="Matching configuration items">
        {results.filter((ci) => !pickedIds.has(ci.id)).map((ci) => (
          <li key={ci.id} className="flex items-center justify-between gap-2 bg-white px-3 py-1.5 text-sm">
            <span>
              <span className="font-medium">{ci.name}</span>{" "}
              <span className="text-slate-500">· {ci.environment} · criticality {ci.criticality}</span>
            </span>
            <button type="button" className="rounded px-2 py-0.5 text-indigo-700 ring-1 ring-indigo-200 hover:bg-indigo-50" onClick={() => setPicked([...picked, ci])}>
              Add <span className="sr-only">{ci.name}</span>
            </button>
          </li>
        ))}
      </ul>
      <p className="text-xs text-slate-500" role="status">{status}</p>
      {error ? <p id="cis-error" className="text-sm text-rose-700">{error}</p> : null}
    </fieldset>
  );
}
