import type { Metadata } from "next";
import { TokenForm } from "@/components/api-tokens/token-form";
import { TokenTable } from "@/components/api-tokens/token-table";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { requireActor } from "@/lib/server/auth/current-actor";
import { listOwnTokens } from "@/lib/server/api-tokens/list-tokens";
import { issueTokenAction, revokeTokenAction } from "./actions";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const actor = await requireActor();
  const tokens = await listOwnTokens(actor.id);
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Personal access tokens for /api/v1. A token acts as you, with your roles as they are at each request, limited to its scopes."
      />
      <p className="mb-6 text-sm text-slate-700">
        What a token can call:{" "}
        <a href="/api/docs" className="font-medium text-indigo-700 underline">
          the API reference
        </a>{" "}
        (its OpenAPI document is{" "}
        <a href="/api/v1/openapi.json" className="font-medium text-indigo-700 underline">
          /api/v1/openapi.json
        </a>
        ).
      </p>
      <div className="space-y-6">
        <Section title="Your tokens">
          <TokenTable tokens={tokens} revoke={revokeTokenAction} label="Your tokens" now={new Date()} />
        </Section>
        <Section title="New token">
          <div className="max-w-2xl">
            <TokenForm action={issueTokenAction} />
          </div>
        </Section>
      </div>
    </>
  );
}
