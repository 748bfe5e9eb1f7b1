import type { ImplementationOutcome } from "./implementation-outcomes";

/** How a reported deployment stands, as a pipeline reports it. */
export const DEPLOYMENT_STATUSES = ["started", "succeeded", "failed", "rolled_back"] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const DEPLOYMENT_STATUS_LABELS = {
  started: "Started",
  succeeded: "Succeeded",
  failed: "Failed",
  rolled_back: "Rolled back",
} as const satisfies Record<DeploymentStatus, string>;

// A run's step moves forward only: a finished deployment may still be rolled back, nothing returns to started.
const NEXT: Record<DeploymentStatus, readonly DeploymentStatus[]> = {
  started: ["succeeded", "failed", "rolled_back"],
  succeeded: ["rolled_back"],
  failed: ["rolled_back"],
  rolled_back: [],
};

/** Whether a later report of the same run and step may move the deployment from one status to another. */
export function canMoveDeployment(from: DeploymentStatus, to: DeploymentStatus): boolean {
  return NEXT[from].includes(to);
}

/** The outcome a finished deployment records on its change; null while it runs. Failed and rolled back count as failed changes. */
export function deploymentOutcome(status: DeploymentStatus): ImplementationOutcome | null {
  switch (status) {
    case "started":
      return null;
    case "succeeded":
      return "successful";
    case "failed":
      return "failed";
    case "rolled_back":
      return "rolled_back";
  }
}
