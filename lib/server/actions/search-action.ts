import "server-only";
import type { z } from "zod";
import { currentActor } from "../auth/current-actor";
import { runUseCase, type UseCase } from "./run-use-case";

/**
 * A picker's search as someone types: only input the schema accepts is a query, and any refusal
 * (no session, no right to search, a failure of ours) is an empty list of choices.
 */
export function searchAction<I, T>(spec: UseCase<unknown, I, T[]> & { input: z.ZodType<I> }): (query: unknown) => Promise<T[]> {
  return async (query) => {
    const outcome = await runUseCase(spec, query, () => currentActor());
    return outcome.ok ? outcome.value : [];
  };
}
