"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { safely, toFormState, type FormState } from "@/lib/server/actions/form-state";
import { currentActor } from "@/lib/server/auth/current-actor";
import { addComment } from "@/lib/server/changes/add-comment";
import { assignImplementer } from "@/lib/server/changes/assign-implementer";
import { castVote } from "@/lib/server/changes/cast-vote";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { signOffItem, waiveItem } from "@/lib/server/changes/sign-off-item";
import type { Result } from "@/lib/domain/result";
import { approveFreezeException, requestFreezeException } from "@/lib/server/changes/freeze-exception";
import { rescheduleChange } from "@/lib/server/changes/reschedule-change";

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return value === null ? undefined : String(value);
};

// Every form on the change page posts here; the use cases check the actor and the rules. On
// success the page is drawn afresh with a confirmation (the form that was used may be gone).
async function respond(
  form: FormData,
  done: string,
  run: () => Promise<Result<{ message: string }>>,
  keep: string[] = [],
): Promise<FormState> {
  const values = Object.fromEntries(keep.map((k) => [k, field(form, k) ?? ""]));
  const changeId = field(form, "changeId");
  let succeeded = false;
  const state = await safely(async () => {
    const result = await run();
    succeeded = result.ok;
    return toFormState(result, values);
  });
  if (!succeeded) return state;
  revalidatePath(`/changes/${changeId}`);
  // A distinct address each time, so two steps in a row each draw the page afresh.
  redirect(`/changes/${changeId}?done=${done}&at=${Date.now()}`);
}

export async function changeActionAction(_previous: FormState, form: FormData): Promise<FormState> {
  const checked = (name: string) => form.get(name) === "on";
  return respond(
    form,
    field(form, "action") ?? "",
    async () =>
      performChangeAction(await currentActor(), {
        changeId: field(form, "changeId"),
        version: field(form, "version"),
        action: field(form, "action"),
        reason: field(form, "reason"),
        outcome: field(form, "outcome") || undefined,
        outcomeNotes: field(form, "outcomeNotes"),
        rootCause: field(form, "rootCause"),
        review:
          field(form, "action") === "close"
            ? {
                worksAsIntended: checked("worksAsIntended"),
                securityControlsInPlace: checked("securityControlsInPlace"),
                monitoringCovers: checked("monitoringCovers"),
                documentationUpdated: checked("documentationUpdated"),
                securityValidation: field(form, "securityValidation"),
                notes: field(form, "notes"),
              }
            : undefined,
      }),
    [
      "reason",
      "outcome",
      "outcomeNotes",
      "rootCause",
      "worksAsIntended",
      "securityControlsInPlace",
      "monitoringCovers",
      "documentationUpdated",
      "securityValidation",
      "notes",
    ],
  );
}

export async function voteAction(_previous: FormState, form: FormData): Promise<FormState> {
  return respond(
    form,
    "vote",
    async () =>
      castVote(await currentActor(), {
        changeId: field(form, "changeId"),
        role: field(form, "role"),
        decision: field(form, "decision"),
        comment: field(form, "comment"),
      }),
    ["role", "decision", "comment"],
  );
}

export async function signOffAction(_previous: FormState, form: FormData): Promise<FormState> {
  return respond(
    form,
    "signed",
    async () =>
      signOffItem(await currentActor(), { changeId: field(form, "changeId"), key: field(form, "key"), evidence: field(form, "evidence") }),
    ["evidence"],
  );
}

export async function waiveAction(_previous: FormState, form: FormData): Promise<FormState> {
  return respond(
    form,
    "waived",
    async () =>
      waiveItem(await currentActor(), {
        changeId: field(form, "changeId"),
        key: field(form, "key"),
        compensatingControl: field(form, "compensatingControl"),
        residualRisk: field(form, "residualRisk"),
      }),
    ["compensatingControl", "residualRisk"],
  );
}

export async function assignImplementerAction(_previous: FormState, form: FormData): Promise<FormState> {
  return respond(
    form,
    "assigned",
    async () =>
      assignImplementer(await currentActor(), {
        changeId: field(form, "changeId"),
        implementerId: field(form, "implementerId"),
        version: field(form, "version"),
      }),
    ["implementerId"],
  );
}

export async function commentAction(_previous: FormState, form: FormData): Promise<FormState> {
  return respond(
    form,
    "commented",
    async () => addComment(await currentActor(), { changeId: field(form, "changeId"), body: field(form, "body") }),
    ["body"],
  );
}

export async function requestFreezeExceptionAction(_previous: FormState, form: FormData): Promise<FormState> {
  return respond(
    form,
    "exception_requested",
    async () => requestFreezeException(await currentActor(), { changeId: field(form, "changeId"), reason: field(form, "reason") }),
    ["reason"],
  );
}

export async function approveFreezeExceptionAction(_previous: FormState, form: FormData): Promise<FormState> {
  return respond(form, "exception_approved", async () =>
    approveFreezeException(await currentActor(), { changeId: field(form, "changeId"), role: field(form, "role") }),
  );
}

export async function rescheduleAction(_previous: FormState, form: FormData): Promise<FormState> {
  return respond(form, "rescheduled", async () =>
    rescheduleChange(await currentActor(), {
      changeId: field(form, "changeId"),
      version: field(form, "version"),
      plannedStart: field(form, "plannedStart"),
      plannedEnd: field(form, "plannedEnd"),
    }),
  );
}
