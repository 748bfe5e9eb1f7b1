import type { FormAction } from "@/lib/domain/form-state";
import { RetryDeliveryForm } from "./retry-delivery-form";

type DeliveryStatus = "pending" | "sending" | "retrying" | "sent" | "dead";

export const DELIVERY_TONES = { pending: "info", sending: "info", retrying: "warn", sent: "good", dead: "bad" } as const;
export const DELIVERY_LABELS = { pending: "Queued", sending: "Sending", retrying: "Retrying", sent: "Sent", dead: "Dead" } as const;

export const utc = (date: Date) => `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;

type Progress = {
  id: string;
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  createdAt: Date;
  sentAt: Date | null;
  nextAttemptAt: Date | null;
  deadAt: Date | null;
};

/** A delivery's attempts, its times and, when dead or waiting, a retry: the last cells of a delivery row. */
export function DeliveryProgressCells({ delivery: d, retry }: { delivery: Progress; retry: FormAction }) {
  return (
    <>
      <td className="px-4 py-2.5 whitespace-nowrap">
        {d.attempts} of {d.maxAttempts}
      </td>
      <td className="px-4 py-2.5 text-xs whitespace-nowrap text-slate-600">
        <span className="block">queued {utc(d.createdAt)}</span>
        {d.sentAt ? <span className="block">sent {utc(d.sentAt)}</span> : null}
        {d.nextAttemptAt ? <span className="block">next try {utc(d.nextAttemptAt)}</span> : null}
        {d.deadAt ? <span className="block">dead {utc(d.deadAt)}</span> : null}
      </td>
      <td className="px-4 py-2.5">
        {d.status === "dead" || d.status === "retrying" ? <RetryDeliveryForm action={retry} deliveryId={d.id} /> : null}
      </td>
    </>
  );
}
