// The authorization matrix's one policy table: for every server action ("file#export") and route
// handler ("METHOD /path"), who may reach its use case. tests/e2e/authorization-matrix.spec.ts
// enumerates the actions and routes of the build and fails on one missing here, or an entry here
// naming one that no longer exists.
import type { Role } from "../../../lib/domain/roles";
import { ROLES } from "../../../lib/domain/roles";

/**
 * Who gets through, on their own change (one they requested) and on someone else's. "any": every
 * signed-in user with a normal session. Roles are single: the matrix gives each user one role.
 */
export type Policy = {
  own: readonly Role[];
  other: readonly Role[];
  /** The password change is the one thing a temporary-password session may do. */
  temporaryPassword?: "allowed";
  /** Open to everyone, signed in or not (next-auth's own endpoints). */
  public?: true;
  /** Not about a change: called once per user, and own and other must agree. */
  global?: true;
  /** Ends the caller's sessions when it goes through: the matrix calls it last. */
  endsSessions?: true;
  /** /api/v1: a Bearer token only; a session cookie is refused as signed out (401), with no one to record. */
  bearer?: true;
};

const ALL: readonly Role[] = ROLES;
const only = (...roles: Role[]) => roles;
const global = (...roles: Role[]): Policy => ({ own: roles, other: roles, global: true });

const ADMIN = global("admin");
const AUDIT = global("auditor", "admin");

export const AUTHORIZATION_POLICY: Record<string, Policy> = {
  // Changes: filing, editing, lifecycle steps, approvals, checklist, schedule, comments.
  "app/(portal)/changes/actions.ts#createChangeAction": global("requester", "change_manager"),
  // Probed on a draft: only its requester edits it (a change manager edits one under assessment,
  // tests/integration/change-edits.test.ts), whatever their role now.
  "app/(portal)/changes/actions.ts#updateChangeAction": { own: only("requester", "change_manager"), other: only() },
  // Probed with "reject": a change manager's step, not one of the independent ones.
  "app/(portal)/changes/[id]/actions.ts#changeActionAction": { own: only("change_manager"), other: only("change_manager") },
  // The requester may not vote on their own change, whatever roles they hold.
  "app/(portal)/changes/[id]/actions.ts#voteAction": { own: only(), other: only("cab_member") },
  "app/(portal)/cab/actions.ts#queueVoteAction": { own: only(), other: only("cab_member") },
  // Probed with a change manager's item (backup verified).
  "app/(portal)/changes/[id]/actions.ts#signOffAction": { own: only(), other: only("change_manager") },
  "app/(portal)/changes/[id]/actions.ts#waiveAction": { own: only(), other: only("security_reviewer") },
  "app/(portal)/changes/[id]/actions.ts#assignImplementerAction": { own: only("change_manager"), other: only("change_manager") },
  // Anyone who may see the change: its requester, and the roles that oversee, approve or carry out changes.
  "app/(portal)/changes/[id]/actions.ts#commentAction": {
    own: ALL,
    other: only("change_manager", "cab_member", "security_reviewer", "implementer", "auditor"),
  },
  "app/(portal)/changes/[id]/actions.ts#requestFreezeExceptionAction": {
    own: only("requester", "change_manager"),
    other: only("change_manager"),
  },
  "app/(portal)/changes/[id]/actions.ts#approveFreezeExceptionAction": { own: only(), other: only("change_manager") },
  "app/(portal)/changes/[id]/actions.ts#rescheduleAction": { own: only(), other: only("change_manager") },

  // Configuration: CIs, maintenance windows, freezes, templates.
  "app/(portal)/admin/cis/actions.ts#createCiAction": ADMIN,
  "app/(portal)/admin/cis/actions.ts#updateCiAction": ADMIN,
  "app/(portal)/admin/cis/actions.ts#setCiDependenciesAction": ADMIN,
  // The CI pickers: of the configuration form and of the change form.
  "app/(portal)/admin/cis/actions.ts#searchCisAction": global("requester", "change_manager", "admin"),
  "app/(portal)/admin/freezes/actions.ts#createFreezeAction": ADMIN,
  "app/(portal)/admin/freezes/actions.ts#updateFreezeAction": ADMIN,
  "app/(portal)/admin/freezes/actions.ts#deleteFreezeAction": ADMIN,
  "app/(portal)/admin/freezes/actions.ts#addMaintenanceWindowAction": ADMIN,
  "app/(portal)/admin/freezes/actions.ts#removeMaintenanceWindowAction": ADMIN,
  "app/(portal)/admin/templates/actions.ts#proposeTemplateAction": ADMIN,
  "app/(portal)/admin/templates/actions.ts#newTemplateVersionAction": ADMIN,
  "app/(portal)/admin/templates/actions.ts#approveTemplateAction": global("change_manager", "admin"),
  "app/(portal)/admin/templates/actions.ts#retireTemplateAction": ADMIN,

  // Users.
  "app/(portal)/admin/users/actions.ts#createUserAction": ADMIN,
  "app/(portal)/admin/users/actions.ts#changeRoleAction": ADMIN,
  "app/(portal)/admin/sso/actions.ts#saveSecondFactorPolicyAction": ADMIN,
  "app/(portal)/admin/users/actions.ts#setActiveAction": ADMIN,
  "app/(portal)/admin/users/actions.ts#resetPasswordAction": ADMIN,
  "app/(portal)/admin/users/actions.ts#endUserSessionsAction": ADMIN,
  // Privileged roles by two admins: the use cases also refuse a grant to oneself and approving one's own request.
  "app/(portal)/admin/users/actions.ts#requestRoleAction": ADMIN,
  "app/(portal)/admin/users/actions.ts#approveRoleRequestAction": ADMIN,
  "app/(portal)/admin/users/actions.ts#refuseRoleRequestAction": ADMIN,
  "app/(portal)/admin/users/actions.ts#withdrawRoleRequestAction": ADMIN,

  // Audit.
  "app/(portal)/audit/actions.ts#searchHistoryCisAction": AUDIT,
  "app/(portal)/audit/actions.ts#searchHistoryPeopleAction": AUDIT,
  "app/(portal)/audit/verify/actions.ts#takeCheckpointAction": AUDIT,
  "GET /api/audit/checkpoints/[id]": AUDIT,
  "GET /api/audit/export": AUDIT,
  "GET /api/audit/public-key": AUDIT,
  "GET /api/audit/reports/[slug]": AUDIT,
  "POST /api/audit/verify": AUDIT,
  "GET /api/exports/[id]/manifest": AUDIT,
  "GET /api/exports/changes": AUDIT,
  "GET /api/exports/events": AUDIT,

  // API tokens and service accounts. Revoking is the token owner's or an admin's (the use case
  // checks which), so it is open to everyone signed in, from either page.
  "app/(portal)/account/tokens/actions.ts#issueTokenAction": global(...ALL),
  "app/(portal)/account/tokens/actions.ts#revokeTokenAction": global(...ALL),
  "app/(portal)/admin/service-accounts/actions.ts#createServiceAccountAction": ADMIN,
  "app/(portal)/admin/service-accounts/actions.ts#setServiceAccountActiveAction": ADMIN,
  "app/(portal)/admin/service-accounts/actions.ts#issueServiceAccountTokenAction": ADMIN,
  "app/(portal)/admin/service-accounts/actions.ts#revokeServiceAccountTokenAction": global(...ALL),
  "app/(portal)/admin/deliveries/actions.ts#retryDeliveryAction": ADMIN,
  "app/(portal)/admin/webhooks/actions.ts#createWebhookAction": ADMIN,
  "app/(portal)/admin/webhooks/actions.ts#updateWebhookAction": ADMIN,
  "app/(portal)/admin/webhooks/actions.ts#rotateWebhookSecretAction": ADMIN,
  "app/(portal)/admin/webhooks/actions.ts#testWebhookAction": ADMIN,
  "app/(portal)/admin/webhooks/actions.ts#deleteWebhookAction": ADMIN,
  "app/(portal)/account/mail/actions.ts#saveMailPreferencesAction": global(...ALL),
  // Delegation: only the roles whose votes can be delegated name a delegate; ending one is its
  // delegator's, its delegate's or an admin's (the use case checks which), so open to everyone.
  "app/(portal)/account/delegation/actions.ts#createDelegationAction": global("cab_member", "security_reviewer"),
  "app/(portal)/account/delegation/actions.ts#endDelegationAction": global(...ALL),
  "app/(portal)/admin/reminders/actions.ts#saveReminderSettingsAction": ADMIN,
  "app/(portal)/admin/scan-policy/actions.ts#saveScanPolicyAction": ADMIN,
  "GET /api/v1/me": { ...global(), bearer: true },
  "GET /api/v1/changes": { ...global(), bearer: true },
  "GET /api/v1/changes/[id]": { ...global(), bearer: true },
  "POST /api/v1/changes": { ...global(), bearer: true },
  "PATCH /api/v1/changes/[id]": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/actions/submit": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/actions/start-assessment": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/actions/request-authorization": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/actions/schedule": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/actions/start-implementation": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/actions/record-outcome": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/actions/close": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/actions/reject": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/actions/return-for-rework": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/actions/cancel": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/actions/withdraw": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/votes": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/checklist/[key]/sign-off": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/checklist/[key]/waiver": { ...global(), bearer: true },
  "PUT /api/v1/changes/[id]/implementer": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/reschedule": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/freeze-exception": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/freeze-exception/approvals": { ...global(), bearer: true },
  "GET /api/v1/changes/[id]/comments": { ...global(), bearer: true },
  "POST /api/v1/changes/[id]/comments": { ...global(), bearer: true },
  "GET /api/v1/cis": { ...global(), bearer: true },
  "POST /api/v1/cis": { ...global(), bearer: true },
  "GET /api/v1/cis/[id]": { ...global(), bearer: true },
  "PATCH /api/v1/cis/[id]": { ...global(), bearer: true },
  "PUT /api/v1/cis/[id]/dependencies": { ...global(), bearer: true },
  "GET /api/v1/templates": { ...global(), bearer: true },
  "GET /api/v1/templates/[id]": { ...global(), bearer: true },
  "GET /api/v1/schedule/conflicts": { ...global(), bearer: true },
  "GET /api/v1/freezes": { ...global(), bearer: true },
  "GET /api/v1/audit/events": { ...global(), bearer: true },
  "POST /api/v1/deployments/check": { ...global(), bearer: true },
  "POST /api/v1/deployments": { ...global(), bearer: true },
  "GET /api/v1/deployments": { ...global(), bearer: true },

  // Everyone signed in.
  "app/(portal)/notifications/actions.ts#markReadAction": global(...ALL),
  "app/account/password/actions.ts#changePasswordAction": { ...global(...ALL), temporaryPassword: "allowed" },
  // Before "sign out everywhere", which would leave them nothing to act on.
  "app/(portal)/account/sessions/actions.ts#endOwnSessionAction": global(...ALL),
  "app/(portal)/account/sessions/actions.ts#endOtherSessionsAction": { ...global(...ALL), endsSessions: true },
  "app/account/password/actions.ts#signOutEverywhereAction": { ...global(...ALL), endsSessions: true },
  // Each user's own authenticator app (app/account/security).
  "app/account/security/actions.ts#startTotpAction": global(...ALL),
  "app/account/security/actions.ts#confirmTotpAction": global(...ALL),
  "app/account/security/actions.ts#disableTotpAction": global(...ALL),
  "app/account/security/actions.ts#regenerateRecoveryCodesAction": global(...ALL),

  // Sign-in itself.
  "GET /api/auth/[...nextauth]": { ...global(...ALL), public: true },
  "POST /api/auth/[...nextauth]": { ...global(...ALL), public: true },

  // The API's contract and its reference: public, they hold nothing a token would protect.
  "GET /api/v1/openapi.json": { ...global(...ALL), public: true },
  "GET /api/docs": { ...global(...ALL), public: true },
  "GET /api/docs/scalar.js": { ...global(...ALL), public: true },
  // The demo's webhook receiver: no session, a signature instead; 404 outside `npm start`'s demo mode.
  "POST /api/demo-webhook-receiver/[id]": { ...global(...ALL), public: true },
};

/**
 * The words of an authorization refusal (role, party, session), as opposed to a lifecycle or
 * input refusal: a use case that lists every reason names one of these when the actor may not act.
 */
export const AUTHORIZATION_REFUSAL =
  /Sign in again|temporary password|(^|\. )Only |You do not hold|no longer hold|may no longer|You requested this change|You are the implementer of this change|cannot see this change|You asked for this exception|Sign in first/;
