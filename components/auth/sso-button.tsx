"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { buttonStyles } from "@/components/ui/button-styles";

/** Starts the OpenID Connect sign-in; next-auth sets the state, PKCE and nonce cookies and sends the browser to the provider. */
export function SsoButton({ providerName, callbackUrl }: { providerName: string; callbackUrl: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className={`${buttonStyles.secondary} w-full`}
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signIn("oidc", { callbackUrl }).catch(() => setPending(false));
      }}
    >
      {pending ? "Going to your identity provider…" : `Sign in with ${providerName}`}
    </button>
  );
}
