"use client";

import { useId, useState, useSyncExternalStore } from "react";

function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

const noop = () => () => undefined;

type Props = { label: string; name: string; defaultValue?: string; error?: string };

/** A date and time in the user's own time zone; the form receives it as an ISO instant (UTC). */
export function DateTimeField(props: Props) {
  // The browser's time zone is only known in the browser: render the input there.
  const inBrowser = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
  return inBrowser ? <LocalDateTime {...props} /> : <input type="hidden" name={props.name} value={props.defaultValue ?? ""} />;
}

function LocalDateTime({ label, name, defaultValue, error }: Props) {
  const id = useId();
  const [local, setLocal] = useState(() => (defaultValue ? toLocalInput(defaultValue) : ""));
  const [zone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const iso = local ? new Date(local).toISOString() : "";
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={id}
        type="datetime-local"
        value={local}
        onChange={(e) => setLocal(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-note`}
        className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm ${error ? "border-rose-400" : "border-slate-300"}`}
      />
      <input type="hidden" name={name} value={iso} />
      {error ? (
        <p id={`${id}-note`} className="text-sm text-rose-700">
          {error}
        </p>
      ) : (
        <p id={`${id}-note`} className="text-xs text-slate-500">
          Your local time ({zone}).
        </p>
      )}
    </div>
  );
}
