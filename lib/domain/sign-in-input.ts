import { z } from "zod";
import { PASSWORD_MAX } from "./user-rules";

// What a sign-in form may send. Control characters (NUL first of all) are refused here, before
// they reach the database, which would answer them with an error of its own.
const CONTROL = /[\u0000-\u001f\u007f]/;

export const signInInputSchema = z.object({
  email: z
    .string()
    .max(320)
    .refine((s) => !CONTROL.test(s))
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.string().min(3)),
  password: z
    .string()
    .min(1)
    .max(PASSWORD_MAX)
    .refine((s) => !s.includes("\u0000")),
  /** The second factor, asked for after the password when the account has an authenticator app. */
  code: z
    .string()
    .max(40)
    .refine((s) => !CONTROL.test(s))
    .optional()
    .catch(undefined),
});

export type SignInInput = z.infer<typeof signInInputSchema>;
