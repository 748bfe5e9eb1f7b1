// A real SMTP server for tests (smtp-server), which parses what arrives with mailparser, and can
// refuse mail to chosen recipients to play a failing receiver.
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/** `raw`: the message as it arrived, headers and every part, for what must never be in it. */
export type Received = { envelopeTo: string[]; mail: ParsedMail; raw: string };

export type SmtpReceiver = {
  url: string;
  received: Received[];
  /** Refuse the next `times` messages to addresses matching (Infinity: always), with a temporary 451. */
  failFor: (match: RegExp, times?: number) => void;
  /** Each accepted message takes this long (a slow receiver, so two workers overlap). */
  setDelayMs: (ms: number) => void;
  stop: () => Promise<void>;
};

/** Port 0: any free port (the URL says which). */
export async function startSmtpReceiver(port: number): Promise<SmtpReceiver> {
  const received: Received[] = [];
  const failures: { match: RegExp; left: number }[] = [];
  let delayMs = 0;
  const server = new SMTPServer({
    disabledCommands: ["AUTH", "STARTTLS"],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      const rule = failures.find((f) => f.match.test(address.address) && f.left > 0);
      if (rule) {
        rule.left -= 1;
        const error = Object.assign(new Error("Mailbox temporarily unavailable"), { responseCode: 451 });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks);
        const mail = await simpleParser(raw);
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail, raw: raw.toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    received,
    failFor: (match, times = Infinity) => failures.push({ match, left: times }),
    setDelayMs: (ms) => (delayMs = ms),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
