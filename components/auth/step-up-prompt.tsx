"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { Field } from "@/components/ui/field";
import { buttonStyles } from "@/components/ui/button-styles";
import type { FormState } from "@/lib/domain/form-state";
import { ENROL_PATH } from "@/lib/domain/step-up";

/**
 * Inside a sensitive action's form (lib/domain/step-up.ts): when the action asked for a fresh
 * authentication, the code or password field appears in the same form, so submitting again
 * completes the action with everything else typed kept.
 */
export function StepUpPrompt({ state }: { state: FormState }) {
  if (state.ok || !state.stepUp) return null;
  switch (state.stepUp) {
    case "code":
      return (
        <Field
          label="Authentication code"
          name="stepUpCode"
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={40}
          autoFocus
          hint="The 6 digits your authenticator app shows, or an unused recovery code."
          error={state.fieldErrors?.stepUpCode}
        />
      );
    case "password":
      return (
        <Field
          label="Your password"
          name="stepUpPassword"
          type="password"
          autoComplete="current-password"
          maxLength={256}
          autoFocus
          error={state.fieldErrors?.stepUpPassword}
        />
      );
    case "sign-in":
      return (
        <button
          type="button"
          className={buttonStyles.secondary}
          onClick={() => void signIn("oidc", { callbackUrl: window.location.pathname + window.location.search })}
        >
          Sign in again
        </button>
      );
    case "enrol":
      return (
        <Link href={ENROL_PATH} className="text-sm font-medium text-indigo-700 underline">
          Set up an authenticator app
        </Link>
      );
  }
}
