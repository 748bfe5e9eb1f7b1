import "next-auth";

// The session carries only the user's id, session version and how they last authenticated; everything else is read from the database per request.
declare module "next-auth" {
  interface Session {
    user: {
      id?: string;
      sessionVersion?: number;
      authAt?: number;
      amr?: import("@/lib/domain/step-up").AuthMethod;
      sessionId?: string;
    };
  }
}
