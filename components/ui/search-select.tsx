"use client";

import { useEffect, useId, useState } from "react";

export type SearchChoice = { id: string; label: string };
type Search = (query: string) => Promise<SearchChoice[]>;

/**
 * One choice out of thousands, for a GET filter form: type to search, pick with the mouse or the
 * arrow keys and Enter (a WAI-ARIA combobox). The pick travels as a hidden input named `name`;
 * emptying the box means "any". Leaving the box without picking keeps the previous choice.
 */
export function SearchSelect({
  name,
  label,
  any,
  initial,
  search,
  noMatch,
}: {
  name: string;
  label: string;
  any: string;
  initial: SearchChoice | null;
  search: Search;
  noMatch: string;
}) {
  const id = useId();
  const [chosen, setChosen] = useState<SearchChoice | null>(initial);
  const [text, setText] = useState(initial?.label ?? "");
  const [open, setOpen] = useState(false);
  const [results, setResults] = useState<SearchChoice[]>([]);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState("");
  const query = open ? text.trim() : "";

  useEffect(() => {
    if (!query) return;
    let current = true;
    const timer = setTimeout(() => {
      search(query)
        .then((items) => {
          if (!current) return;
          setResults(items);
          setActive(items.length ? 0 : -1);
          setStatus(items.length ? `${items.length} shown; up and down arrows to move, Enter to choose.` : noMatch);
        })
        .catch(() => current && setStatus("Search failed; try again."));
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, search, noMatch]);

  const shown = query ? results : [];
  const expanded = shown.length > 0;
  const pick = (choice: SearchChoice | null) => {
    setChosen(choice);
    setText(choice?.label ?? "");
    setOpen(false);
    setResults([]);
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" && expanded) {
      e.preventDefault();
      setActive((a) => (a + 1) % shown.length);
    } else if (e.key === "ArrowUp" && expanded) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? shown.length - 1 : a - 1));
    } else if (e.key === "Enter" && open) {
      // Enter picks the highlighted match; with the list shut it submits the form as usual.
      e.preventDefault();
      if (expanded && active >= 0) pick(shown[active]!);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      pick(chosen);
    }
  };

  return (
    <div className="text-sm">
      <label htmlFor={`${id}-input`} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <input type="hidden" name={name} value={chosen?.id ?? ""} />
      <div className="relative">
        <input
          id={`${id}-input`}
          type="text"
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={`${id}-list`}
          aria-activedescendant={expanded && active >= 0 ? `${id}-option-${active}` : undefined}
          aria-describedby={`${id}-status`}
          value={text}
          placeholder={any}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            if (!e.target.value.trim()) setChosen(null);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => pick(text.trim() ? chosen : null)}
          className="w-full rounded-md border border-slate-300 bg-white py-2 pl-2.5 pr-8 text-sm placeholder:text-slate-500"
        />
        {chosen ? (
          <button
            type="button"
            aria-label={`Clear ${label}`}
            onClick={() => pick(null)}
            className="absolute inset-y-0 right-0 px-2.5 text-slate-500 hover:text-slate-800"
          >
            ×
          </button>
        ) : null}
        <ul
          id={`${id}-list`}
          role="listbox"
          aria-label={label}
          hidden={!expanded}
          className="absolute z-10 mt-1 max-h-64 w-full min-w-64 overflow-y-auto rounded-md bg-white py-1 shadow-lg ring-1 ring-slate-200"
        >
          {shown.map((choice, i) => (
            <li
              key={choice.id}
              id={`${id}-option-${i}`}
              role="option"
              aria-selected={i === active}
              // mousedown, not click: the input's blur would otherwise close the list first.
              onMouseDown={(e) => {
                e.preventDefault();
                pick(choice);
              }}
              onMouseEnter={() => setActive(i)}
              className={`cursor-pointer px-2.5 py-1.5 ${i === active ? "bg-indigo-50 text-indigo-900" : "text-slate-800"}`}
            >
              {choice.label}
            </li>
          ))}
        </ul>
      </div>
      {/* Read out always; shown only when there is no list to show (no match, or a failed search). */}
      <p id={`${id}-status`} aria-live="polite" className={query && !expanded ? "mt-1 text-xs text-slate-500" : "sr-only"}>
        {query ? status : ""}
      </p>
    </div>
  );
}
