import { StringDecoder } from "node:string_decoder";
import { JunosError } from "@/lib/junos/errors";

// `user@host> ` in operational mode, `user@host# ` in configuration mode, at the end of output.
const PROMPT = /(?:^|\n)([^\s@]+@[^\s>#]+)([>#]) $/;
const PAGER = /---\(more[^)]*\)---$/;
// How much of the end of the output the prompt and pager tests see. Both sit at the very end and are far shorter
// (a Junos user@host prompt is under 300 characters); testing only this tail keeps the work linear in the output.
const TAIL = 1024;
export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface TranscriptEntry {
  at: Date;
  command: string;
  output: string;
  ms: number;
}

/** What the CLI needs of an SSH shell channel (`ClientChannel`), so a test can drive it without a switch. */
export interface CliStream {
  on(event: "data", listener: (d: Buffer) => void): unknown;
  on(event: "close", listener: () => void): unknown;
  write(data: string): unknown;
}

export interface JunosCliOptions {
  /** Most bytes one command may print; past it the command fails with kind "too-large". Default 16 MiB. */
  maxOutputBytes?: number;
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}

/** Drives a Junos CLI over an SSH shell: one command at a time, output up to the next prompt. */
export class JunosCli {
  /** Output since the last prompt, except `tail`; joined once, when the prompt comes. */
  private head: string[] = [];
  /** The end of the output since the last prompt: the only place a prompt or a pager can be. */
  private tail = "";
  private bytes = 0;
  private isOverflowed = false;
  private overflowMessage: string | undefined;
  // Decodes across chunks: an SSH packet may end in the middle of a multi-byte character.
  private readonly decoder = new StringDecoder("utf8");
  private readonly maxOutputBytes: number;
  private waiter: (() => void) | undefined;
  private closedReason: string | undefined;
  readonly transcript: TranscriptEntry[] = [];

  constructor(
    private readonly stream: CliStream,
    opts: JunosCliOptions = {},
  ) {
    this.maxOutputBytes = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    stream.on("data", (d: Buffer) => {
      if (this.isOverflowed) return;
      this.bytes += d.length;
      if (this.bytes > this.maxOutputBytes) {
        // Drop what was read and stop paging: the switch is told nothing more, the caller ends the session.
        this.isOverflowed = true;
        this.head = [];
        this.tail = "";
      } else {
        this.tail += this.decoder.write(d).replace(/\r/g, "");
        if (this.tail.length > 2 * TAIL) {
          this.head.push(this.tail.slice(0, -TAIL));
          this.tail = this.tail.slice(-TAIL);
        }
        // Paging should be off; if a pager shows anyway, page on rather than hang.
        if (PAGER.test(this.tail)) {
          this.tail = this.tail.replace(PAGER, "");
          stream.write(" ");
        }
      }
      this.waiter?.();
    });
    stream.on("close", () => {
      this.closedReason ??= "the switch closed the session";
      this.waiter?.();
    });
  }

  /** The output before the prompt, when the output ends in one; the output is then consumed. */
  private takeUntilPrompt(): string | undefined {
    const m = PROMPT.exec(this.tail);
    // With earlier output set aside in `head`, the tail's start is not the start of a line, so `^` does not count there.
    if (!m || (m.index === 0 && this.tail[0] !== "\n" && this.head.length > 0)) return undefined;
    const out = this.head.join("") + this.tail.slice(0, m.index + (this.tail[m.index] === "\n" ? 1 : 0));
    this.head = [];
    this.tail = "";
    this.bytes = 0;
    return out;
  }

  /** Waits for the prompt and returns what came before it. */
  async readUntilPrompt(timeoutMs: number, what: string): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.isOverflowed) {
        // Once over, the rest of that output is still coming: every later command fails the same way.
        this.overflowMessage ??= `output of ${what} exceeded ${formatBytes(this.maxOutputBytes)}`;
        throw new JunosError("too-large", this.overflowMessage);
      }
      const out = this.takeUntilPrompt();
      if (out !== undefined) return out;
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
