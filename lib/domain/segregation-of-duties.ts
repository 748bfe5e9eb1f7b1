import type { ChangeFacts } from "./change-facts";

export type ChangeParty = "requester" | "implementer";

/** Whether a person requested or will implement the change (PCI DSS 6.5.4, ASVS 2.3.5). */
export function partyOf(change: Pick<ChangeFacts, "requesterId" | "implementerId">, personId: string): ChangeParty | null {
  if (change.requesterId === personId) return "requester";
  if (change.implementerId !== null && change.implementerId === personId) return "implementer";
  return null;
}

/** Why a party to the change may not do something to it, or null if the person is independent. */
export function segregationRefusal(
  change: Pick<ChangeFacts, "requesterId" | "implementerId">,
  personId: string,
  doing: string,
): string | null {
  switch (partyOf(change, personId)) {
    case "requester":
      return `You requested this change, so you cannot ${doing}; someone independent must.`;
    case "implementer":
      return `You are the implementer of this change, so you cannot ${doing}; someone independent must.`;
    default:
      return null;
  }
}

/** Users are people; a service account (a pipeline, a bot) holds roles but is not a person. */
export const ACCOUNT_KINDS = ["user", "service_account"] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/**
 * A service account never votes, signs off, waives or approves (domain.md): those steps need a
 * person who answers for them, whatever roles the account holds.
 */
export function serviceAccountRefusal(actor: { kind?: AccountKind }, doing: string): string | null {
  return actor.kind === "service_account" ? `A service account cannot ${doing}; only a person can.` : null;
}
