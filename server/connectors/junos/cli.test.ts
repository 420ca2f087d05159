import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { JunosError } from "@/lib/junos/errors";
import { JunosCli } from "./cli";

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The switch's side of the shell channel, scripted: what it sends back to each thing the CLI writes.
 * An EventEmitter rather than a PassThrough so every `data` event is exactly one of the chunks given (a stream may merge them),
 * and answers come on a later turn of the event loop, as they would over the network.
 */
class FakeChannel extends EventEmitter {
  readonly written: string[] = [];
  private readonly script = new Map<string, () => Promise<void>>();

  /** When the CLI writes exactly `input`, send `chunks` one `data` event at a time. */
  answer(input: string, chunks: Buffer[]): void {
    this.script.set(input, () => this.send(chunks));
  }

  write(data: string): boolean {
    this.written.push(data);
    const reply = this.script.get(data);
    if (reply) setImmediate(() => void reply());
    return true;
  }

  async send(chunks: Buffer[]): Promise<void> {
    for (const c of chunks) {
      this.emit("data", c);
      await new Promise((r) => setImmediate(r));
    }
  }
}

/** Cuts at byte offsets, so multi-byte characters and `\r\n` pairs get split across chunks too. */
function chunksOf(text: string, size: number): Buffer[] {
  const buf = Buffer.from(text, "utf8");
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

/** Configuration lines in the switch's `\r\n`, with a non-ASCII character in each, up to at least `bytes`. */
function configLines(bytes: number, first: number): { lines: string[]; next: number } {
  const lines: string[] = [];
  let size = 0;
  let i = first;
  for (; size < bytes; i++) {
    const line = `set interfaces ge-0/0/${i % 48} unit ${i} description "Zürich rack ${i}"`;
    lines.push(line);
    size += Buffer.byteLength(line) + 2;
  }
  return { lines, next: i };
}

const crlf = (lines: string[]) => lines.map((l) => `${l}\r\n`).join("");

async function failureOf(p: Promise<unknown>): Promise<JunosError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(JunosError);
    return e as JunosError;
  }
  throw new Error("expected the command to fail");
}

describe("JunosCli output handling", () => {
  it("fails a command whose output passes 16 MiB with a too-large error that is not retried, and every later command too", { timeout: 30_000 }, async () => {
    const ch = new FakeChannel();
    const cli = new JunosCli(ch);
    const { lines } = configLines(20 * MiB, 0);
    // 20 MiB and never a prompt: without the cap this would wait out the command's timeout instead.
    ch.answer("show configuration\n", chunksOf(`show configuration\r\n${crlf(lines)}`, 64 * KiB));
    const e = await failureOf(cli.run("show configuration", 20_000));
    expect(e.kind).toBe("too-large");
    expect(e.message).toBe("output of `show configuration` exceeded 16 MiB");
    expect(e.isRetryable).toBe(false);
    const later = await failureOf(cli.run("show version", 20_000));
    expect(later.kind).toBe("too-large");
  });

  it("reads 5 MiB intact through a pager in the middle, answering the pager with a space", { timeout: 30_000 }, async () => {
    const ch = new FakeChannel();
    const cli = new JunosCli(ch);
    const a = configLines(2.5 * MiB, 0);
    const b = configLines(2.5 * MiB, a.next);
    ch.answer("show configuration\n", chunksOf(`show configuration\r\n${crlf(a.lines)}---(more 49%)---`, 64 * KiB));
    // The rest only comes once the pager is answered, as on a switch.
    ch.answer(" ", chunksOf(`${crlf(b.lines)}\r\nadmin@sw1> `, 64 * KiB));
    const out = await cli.run("show configuration", 20_000);
    const expected = [...a.lines, ...b.lines].join("\n");
    expect(out.length).toBe(expected.length);
    expect(out === expected).toBe(true);
    expect(ch.written).toEqual(["show configuration\n", " "]);
  });

  it("finds a prompt split across two chunks after more output than the tail it tests", async () => {
    const ch = new FakeChannel();
    const cli = new JunosCli(ch);
    const { lines } = configLines(10 * KiB, 0);
    let isDone = false;
    const run = cli.run("show interfaces terse", 5_000).finally(() => (isDone = true));
    // `send` yields a turn of the event loop after the chunk, so the CLI has looked at it before the check.
    await ch.send([Buffer.from(`show interfaces terse\r\n${crlf(lines)}\r\nadmin@s`)]);
    expect(isDone).toBe(false);
    await ch.send([Buffer.from("w1> ")]);
    expect(await run).toBe(lines.join("\n"));
  });

  it("answers a pager split across two chunks", async () => {
    const ch = new FakeChannel();
    const cli = new JunosCli(ch);
    ch.answer("show route\n", [Buffer.from("show route\r\n10.0.0.0/8 *[Static/5]\r\n---(mo"), Buffer.from("re)---")]);
    ch.answer(" ", [Buffer.from("192.0.2.0/24 *[Direct/0]\r\n\r\nadmin@sw1> ")]);
    expect(await cli.run("show route", 5_000)).toBe("10.0.0.0/8 *[Static/5]\n192.0.2.0/24 *[Direct/0]");
    expect(ch.written).toEqual(["show route\n", " "]);
  });

  it("counts the cap per command, not per session", { timeout: 30_000 }, async () => {
    const ch = new FakeChannel();
    const cli = new JunosCli(ch, { maxOutputBytes: MiB });
    const { lines } = configLines(700 * KiB, 0);
    for (const command of ["show configuration", "show configuration | display set"]) {
      ch.answer(`${command}\n`, chunksOf(`${command}\r\n${crlf(lines)}admin@sw1> `, 64 * KiB));
      expect(await cli.run(command, 20_000)).toBe(lines.join("\n"));
    }
    ch.answer("show version\n", chunksOf(`show version\r\n${crlf(configLines(MiB, 0).lines)}admin@sw1> `, 64 * KiB));
    const e = await failureOf(cli.run("show version", 20_000));
    expect(e.message).toBe(`output of \`show version\` exceeded 1 MiB`);
  });
});
