"use client";

import { useFormStatus } from "react-dom";
import { buttonStyles, type ButtonVariant } from "./button-styles";

/** The submit button of a search or filter form (next/form): says it is searching while the results load. */
export function SearchButton({ children, variant = "secondary" }: { children: React.ReactNode; variant?: ButtonVariant }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={buttonStyles[variant]} disabled={pending} aria-disabled={pending}>
      {pending ? "Searching…" : children}
    </button>
  );
}
