import { Badge } from "@/components/ui/badge";
import { DataTable, EmptyState } from "@/components/ui/data-table";
import { tokenState } from "@/lib/domain/api-scopes";
import type { FormAction } from "@/lib/domain/form-state";
import type { TokenRow } from "@/lib/server/api-tokens/list-tokens";
import { RevokeTokenForm } from "./revoke-token-form";

const STATE_BADGES = {
  active: <Badge tone="good">Active</Badge>,
  expired: <Badge tone="warn">Expired</Badge>,
  revoked: <Badge tone="bad">Revoked</Badge>,
};

const utc = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export function TokenTable({ tokens, revoke, label, now }: { tokens: TokenRow[]; revoke: FormAction; label: string; now: Date }) {
  if (tokens.length === 0) return <EmptyState>No tokens yet.</EmptyState>;
  return (
    <DataTable label={label} headers={["Name", "Token", "Scopes", "Expires", "Last used", "State"]}>
      {tokens.map((t) => {
        const state = tokenState(t, now);
        return (
          <tr key={t.id} className="align-top">
            <td className="px-4 py-2.5 font-medium">{t.name}</td>
            <td className="px-4 py-2.5 whitespace-nowrap">
              <code className="text-xs" title="The token's public part; the secret is never stored">
                ccp_{t.publicId}_…
              </code>
            </td>
            <td className="px-4 py-2.5">
              <div className="flex flex-wrap gap-1">
                {t.scopes.map((s) => (
                  <Badge key={s} tone="info">
                    {s}
                  </Badge>
                ))}
              </div>
            </td>
            <td className="px-4 py-2.5 whitespace-nowrap text-slate-600">{utc(t.expiresAt)}</td>
            <td className="px-4 py-2.5 text-slate-600">
              {t.lastUsedAt ? (
                <>
                  <span className="whitespace-nowrap">{utc(t.lastUsedAt)}</span>
                  {t.lastUsedAddress ? <span className="block text-xs">from {t.lastUsedAddress}</span> : null}
                </>
              ) : (
                "Never"
              )}
            </td>
            <td className="space-y-2 px-4 py-2.5">
              <div>{STATE_BADGES[state]}</div>
              {state === "revoked" ? null : <RevokeTokenForm action={revoke} tokenId={t.id} name={t.name} />}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
