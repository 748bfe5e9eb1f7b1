import type { FormState } from "@/lib/domain/form-state";

type Values = NonNullable<FormState["values"]>;

/**
 * Field props whose value comes from what the action returned (else from `initial`). React 19
 * resets a form after its action to each field's default, so every field must be uncontrolled
 * with its default from here: a controlled radio or checkbox would be reset to its first value.
 * React never updates a select's default after mounting, so key a select on its value.
 */
export function formValues(state: FormState, initial: Values = {}) {
  const values = state.values ?? initial;
  const text = (name: string) => {
    const value = values[name];
    return typeof value === "string" ? value : "";
  };
  const list = (name: string) => {
    const value = values[name];
    return Array.isArray(value) ? value : value ? [value] : [];
  };
  const has = (name: string, value = "on") => list(name).includes(value);
  return {
    values,
    text,
    list,
    has,
    /** A text input, text area or select. */
    field: (name: string) => ({ name, defaultValue: text(name) }),
    /** A checkbox; several with the same name and different values make a group. */
    checkbox: (name: string, value = "on") => ({ type: "checkbox" as const, name, value, defaultChecked: has(name, value) }),
    radio: (name: string, value: string) => ({ type: "radio" as const, name, value, defaultChecked: text(name) === value }),
  };
}
