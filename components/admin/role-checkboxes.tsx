import { ROLE_LABELS, ROLES } from "@/lib/domain/roles";

export function RoleCheckboxes({ selected, error }: { selected: readonly string[]; error?: string }) {
  return (
    <fieldset className="space-y-2" aria-describedby={error ? "roles-error" : undefined}>
      <legend className="text-sm font-medium text-slate-800">Roles</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {ROLES.map((role) => (
          <label key={role} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="roles"
              value={role}
              defaultChecked={selected.includes(role)}
              className="size-4 rounded border-slate-300"
            />
            {ROLE_LABELS[role]}
          </label>
        ))}
      </div>
      {error ? (
        <p id="roles-error" className="text-sm text-rose-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
