// One `next start` of the built app that a test owns: started, killed without warning, started again.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export class AppServer {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** The server's last output, shown when something goes wrong. */
  output = "";

  constructor(
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get url(): string {
    return `http://localhost:${this.port}`;
  }

  /** Starts the server and resolves, with the milliseconds it took, once the sign-in page answers. */
  async start(timeoutMs = 120_000): Promise<number> {
    if (this.child) throw new Error("The server is already running.");
    const started = Date.now();
    // Its own process group, so a kill reaches anything it forked too.
    const child = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(this.port)], {
      env: this.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-8000));
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    while (Date.now() - started < timeoutMs) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`next start exited (${child.exitCode ?? child.signalCode}):\n${this.output}`);
      const answered = await fetch(`${this.url}/signin`, { signal: AbortSignal.timeout(10_000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (answered) return Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`next start did not answer within ${timeoutMs} ms:\n${this.output}`);
  }

  /** SIGKILL: no shutdown hook runs, open connections and transactions are cut where they are. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
    await this.exited;
  }
}
