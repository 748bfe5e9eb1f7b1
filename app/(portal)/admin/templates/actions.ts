"use server";

import { formAction, list, text, texts } from "@/lib/server/actions/form-action";
import { approveTemplate } from "@/lib/server/templates/approve-template";
import { newTemplateVersion } from "@/lib/server/templates/new-template-version";
import { proposeTemplate } from "@/lib/server/templates/propose-template";
import { retireTemplate } from "@/lib/server/templates/retire-template";

// The use cases check the session's user, role and segregation of duties themselves.

const FIELDS = ["title", "description", "implementationPlan", "backoutPlan", "testPlan", "riskCeiling"] as const;
const read = (form: FormData) => ({ ...texts(form, FIELDS), ciIds: list(form, "ciIds") });

export const proposeTemplateAction = formAction({
  input: read,
  keep: (input) => input,
  run: proposeTemplate,
  revalidate: ["/admin/templates"],
  redirectTo: ({ id }) => `/admin/templates/${id}?proposed=1`,
});

export const newTemplateVersionAction = formAction({
  input: (form) => ({ ...read(form), baseId: text(form, "baseId") }),
  keep: (input) => input,
  run: newTemplateVersion,
  revalidate: [{ layout: "/admin/templates" }],
  redirectTo: ({ id }) => `/admin/templates/${id}?proposed=1`,
});

export const approveTemplateAction = formAction({
  input: (form) => ({ templateId: form.get("templateId") }),
  run: approveTemplate,
  revalidate: [{ layout: "/admin/templates" }],
});

export const retireTemplateAction = formAction({
  input: (form) => ({ templateId: form.get("templateId") }),
  run: retireTemplate,
  revalidate: [{ layout: "/admin/templates" }],
});
