"use client";

import { useFormStatus } from "react-dom";
import { buttonStyles, type ButtonVariant } from "./button-styles";

export function SubmitButton({
  children,
  variant = "primary",
  pendingLabel,
}: {
  children: React.ReactNode;
  variant?: ButtonVariant;
  pendingLabel?: string;
}) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={buttonStyles[variant]} disabled={pending} aria-disabled={pending}>
      {pending ? (pendingLabel ?? "Working…") : children}
    </button>
  );
}
