"use server";

import { formAction, list, text, texts } from "@/lib/server/actions/form-action";
import { changeUserRole } from "@/lib/server/users/change-user-role";
import { createUser } from "@/lib/server/users/create-user";
import { approveRoleGrant, refuseRoleGrant, requestRoleGrant, withdrawRoleGrant } from "@/lib/server/users/role-grant-requests";
import { setUserActive } from "@/lib/server/users/set-user-active";
import { resetPassword } from "@/lib/server/users/set-password";
import { endSessionsAsAdmin } from "@/lib/server/users/user-sessions";

// The use cases check the session's user and role themselves.

export const createUserAction = formAction({
  input: (form) => ({ ...texts(form, ["name", "email", "temporaryPassword"]), roles: list(form, "roles") }),
  keep: (input) => input,
  run: createUser,
  revalidate: ["/admin/users"],
  redirectTo: ({ id }) => `/admin/users/${id}?created=1`,
});

export const changeRoleAction = formAction({
  input: (form) => ({ userId: form.get("userId"), role: form.get("role"), grant: form.get("grant") === "true" }),
  run: changeUserRole,
  // Granting needs a fresh authentication; removing a role must never wait for one.
  stepUp: (form) => form.get("grant") === "true",
  revalidate: [{ layout: "/admin/users" }],
});

export const setActiveAction = formAction({
  input: (form) => ({ userId: form.get("userId"), active: form.get("active") === "true" }),
  run: setUserActive,
  revalidate: [{ layout: "/admin/users" }],
});

export const resetPasswordAction = formAction({
  input: (form) => ({ userId: form.get("userId"), temporaryPassword: text(form, "temporaryPassword") }),
  keep: ({ temporaryPassword }) => ({ temporaryPassword }),
  run: resetPassword,
});

// Privileged roles: one admin requests, a second approves or refuses (lib/domain/role-grants.ts).
const ROLE_REQUESTS = [{ layout: "/admin/users" }, "/admin/role-requests"] as const;

export const requestRoleAction = formAction({
  input: (form) => ({ userId: text(form, "userId"), role: text(form, "role"), reason: text(form, "reason") }),
  keep: ({ role, reason }) => ({ role, reason }),
  run: requestRoleGrant,
  stepUp: true,
  revalidate: ROLE_REQUESTS,
});

export const approveRoleRequestAction = formAction({
  input: (form) => ({ requestId: text(form, "requestId"), reason: text(form, "reason") }),
  keep: ({ reason }) => ({ reason }),
  run: approveRoleGrant,
  stepUp: true,
  revalidate: ROLE_REQUESTS,
});

export const refuseRoleRequestAction = formAction({
  input: (form) => ({ requestId: text(form, "requestId"), reason: text(form, "reason") }),
  keep: ({ reason }) => ({ reason }),
  run: refuseRoleGrant,
  revalidate: ROLE_REQUESTS,
});

export const withdrawRoleRequestAction = formAction({
  input: (form) => ({ requestId: text(form, "requestId") }),
  run: withdrawRoleGrant,
  revalidate: ROLE_REQUESTS,
});

// Without a sessionId: every session of the user's.
export const endUserSessionsAction = formAction({
  input: (form) => ({ userId: form.get("userId"), sessionId: form.get("sessionId") ?? undefined }),
  run: endSessionsAsAdmin,
  revalidate: [{ layout: "/admin/users" }],
});
