import type { ClientChannel } from "ssh2";
import { JunosError } from "@/lib/junos/errors";

// `user@host> ` in operational mode, `user@host# ` in configuration mode, at the end of output.
const PROMPT = /(?:^|\n)([^\s@]+@[^\s>#]+)([>#]) $/;
const PAGER = /---\(more[^)]*\)---$/;

export interface TranscriptEntry {
  at: Date;
  command: string;
  output: string;
  ms: number;
}

/** Drives a Junos CLI over an SSH shell: one command at a time, output up to the next prompt. */
export class JunosCli {
  private buffer = "";
  private waiter: (() => void) | undefined;
  private closedReason: string | undefined;
  readonly transcript: TranscriptEntry[] = [];

  constructor(private readonly stream: ClientChannel) {
    stream.on("data", (d: Buffer) => {
      this.buffer += d.toString("utf8").replace(/\r\n/g, "\n").replace(/\r/g, "");
      // Paging should be off; if a pager shows anyway, page on rather than hang.
      if (PAGER.test(this.buffer)) {
        this.buffer = this.buffer.replace(PAGER, "");
        stream.write(" ");
      }
      this.waiter?.();
    });
    stream.on("close", () => {
      this.closedReason ??= "the switch closed the session";
      this.waiter?.();
    });
  }

  /** Waits for the prompt and returns what came before it. */
  async readUntilPrompt(timeoutMs: number, what: string): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = PROMPT.exec(this.buffer);
      if (m) {
        const out = this.buffer.slice(0, m.index + (this.buffer[m.index] === "\n" ? 1 : 0));
        this.buffer = "";
        return out;
      }
      if (this.closedReason) throw new JunosError("connection", `${this.closedReason} during ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new JunosError("timeout", `no prompt within ${timeoutMs} ms after ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  /** Runs one command; returns its output without the echo, the `[edit]` banner and the prompt. */
  async run(command: string, timeoutMs: number): Promise<string> {
    if (/[\r\n]/.test(command)) throw new JunosError("syntax", "a command may not contain a line break");
    const started = Date.now();
    this.stream.write(`${command}\n`);
    const raw = await this.readUntilPrompt(timeoutMs, `\`${command}\``);
    const lines = raw.split("\n");
    if (lines[0]?.trim() === command.trim()) lines.shift();
    while (lines.length && (lines.at(-1)!.trim() === "" || lines.at(-1)!.trim() === "[edit]")) lines.pop();
    const output = lines.join("\n");
    this.transcript.push({ at: new Date(started), command, output, ms: Date.now() - started });
    return output;
  }
}
