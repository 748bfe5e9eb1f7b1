"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { buttonStyles } from "@/components/ui/button-styles";
import { SECOND_FACTOR_NEEDED } from "@/lib/domain/step-up";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  // Asked for after a right password when the account has an authenticator app; email and password stay as typed.
  const [needsCode, setNeedsCode] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      ...(needsCode ? { code: String(form.get("code") ?? "") } : {}),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      // A full navigation, so the server renders the shell with the new session.
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    if (result?.error === SECOND_FACTOR_NEEDED) {
      setNeedsCode(true);
      setError(undefined);
      return;
    }
    setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "The email address or password is incorrect.");
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormMessage ok={false} message={error} />
      <Field label="Email address" name="email" type="email" autoComplete="username" required autoFocus />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required maxLength={256} />
      {needsCode ? (
        <Field
          label="Authentication code"
          name="code"
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={40}
          required
          autoFocus
          hint={SECOND_FACTOR_NEEDED}
        />
      ) : null}
      <button type="submit" className={`${buttonStyles.primary} w-full`} disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
