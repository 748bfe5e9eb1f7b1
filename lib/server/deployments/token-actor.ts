import "server-only";
import type { Actor } from "../auth/current-actor";

/** Who asks the gate or reports a deployment: an actor and the API token it came with (the audit names both). */
export type TokenActor = Actor & { token: { id: string; publicId: string } };
