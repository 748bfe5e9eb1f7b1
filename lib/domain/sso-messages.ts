// What the sign-in page says for each `error` code next-auth or the SSO sign-in puts in its address.
// Anything else (the parameter is the visitor's to write) gets the generic message.
export const SSO_ERROR_MESSAGES = {
  "sso-deactivated": "Your portal account is deactivated. Ask an admin to reactivate it.",
  "sso-service-account": "A service account cannot sign in through SSO.",
  "sso-no-email": "The identity provider did not send an e-mail address, so no account can be made. Ask your identity provider's admin.",
  "sso-email-unverified":
    "A portal account with your e-mail address exists, but the identity provider has not verified that address, so it is not linked. Ask an admin.",
  "sso-linked-elsewhere": "The portal account with your e-mail address is linked to another single sign-on identity. Ask an admin.",
  "sso-invalid-identity": "The identity provider's answer could not be used. Try again, or ask an admin.",
  "sso-unavailable": "Single sign-on is not possible right now. Try again; if it keeps happening, tell an admin.",
  OAuthCallback: "Single sign-on did not complete: the answer from the identity provider could not be verified. Start again.",
  OAuthSignin: "Single sign-on could not start: the identity provider did not answer. Try again later.",
  Callback: "Single sign-on did not complete. Start again.",
  AccessDenied: "Single sign-on was refused.",
  OAuthAccountNotLinked: "Single sign-on was refused.",
} as const;

export type SsoErrorCode = keyof typeof SSO_ERROR_MESSAGES;

const GENERIC = "Sign-in did not complete. Start again.";

/** The message for a sign-in page's `error` parameter; never echoes the parameter itself. */
export function signInErrorMessage(code: string | undefined): string | undefined {
  if (!code) return undefined;
  return Object.hasOwn(SSO_ERROR_MESSAGES, code) ? SSO_ERROR_MESSAGES[code as SsoErrorCode] : GENERIC;
}
