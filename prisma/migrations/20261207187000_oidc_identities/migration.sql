-- A user who signs in through the organisation's identity provider (OpenID Connect) is known by
-- the provider's issuer and subject, which never change, so a changed e-mail address at the
-- provider updates the account instead of creating a second one.
ALTER TABLE "users" ADD COLUMN "oidc_issuer" TEXT;
ALTER TABLE "users" ADD COLUMN "oidc_subject" TEXT;
ALTER TABLE "users" ADD COLUMN "sso_signed_in_at" TIMESTAMPTZ(3);
ALTER TABLE "users" ADD CONSTRAINT "users_oidc_identity_check" CHECK (("oidc_issuer" IS NULL) = ("oidc_subject" IS NULL));
CREATE UNIQUE INDEX "users_oidc_issuer_oidc_subject_key" ON "users" ("oidc_issuer", "oidc_subject");
