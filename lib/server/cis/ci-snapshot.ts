import "server-only";

/** The fields of a CI an audit event records before and after an edit. */
export const CI_AUDIT_SELECT = {
  name: true,
  type: true,
  environment: true,
  owner: true,
  criticality: true,
  exposure: true,
  tags: true,
} as const;

export const NAME_TAKEN = { name: "A configuration item with this name already exists." };

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === "P2002";
}
