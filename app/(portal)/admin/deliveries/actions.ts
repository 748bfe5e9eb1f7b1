"use server";

import { formAction } from "@/lib/server/actions/form-action";
import { retryDelivery } from "@/lib/server/deliveries/retry-delivery";

export const retryDeliveryAction = formAction({
  input: (form) => ({ deliveryId: form.get("deliveryId") }),
  run: retryDelivery,
  revalidate: ["/admin/deliveries"],
});
