/** How a switch conversation failed; decides whether a job retries and what the admin is told. */
export type JunosErrorKind =
  | "auth" // credentials refused: fix them, retrying will not help
  | "host-key" // the switch's key is not the approved one: possible impostor, never retried
  | "connection" // refused, reset or lost: retry
  | "timeout" // no prompt in time: retry
  | "lock" // another user holds the configuration database: retry later
  | "syntax" // the switch refused a command: a bug or an unsupported platform
  | "commit" // commit check / commit failed, with the switch's words
  | "guard" // the candidate changed more than the plan: aborted
  | "verify" // the switch did not hold what we committed: reverted
  | "backup" // no usable backup: nothing changed
  | "too-large" // a command's output passed the cap: the session is out of step, and a retry would read as much again
  | "pending-confirm"; // a confirmed commit waits on the switch: nothing is stacked on it, the run waits for its timer

export class JunosError extends Error {
  readonly kind: JunosErrorKind;
  /** The switch's own text, when it said something. */
  readonly switchText?: string;

  /** For `pending-confirm`: the switch rolls back within this many minutes unless confirmed. */
  readonly rollbackInMinutes?: number;
  /**
   * The session was lost once `commit confirmed` had been sent: the switch may hold the change on
   * trial, so the push is unresolved (not failed) until the next run reads the commit history.
   */
  isChangeOnTrial = false;

  constructor(kind: JunosErrorKind, message: string, switchText?: string, rollbackInMinutes?: number) {
    super(message);
    this.name = "JunosError";
    this.kind = kind;
    this.switchText = switchText;
    this.rollbackInMinutes = rollbackInMinutes;
  }

  get isRetryable(): boolean {
    return this.kind === "connection" || this.kind === "timeout" || this.kind === "lock";
  }
}

/** Classifies a command's output: null when the switch accepted it. */
export function classifyOutput(command: string, output: string): JunosError | null {
  const text = output.trim();
  if (/^syntax error|^\s*syntax error\.|unknown command\./m.test(text)) return new JunosError("syntax", `switch refused \`${command}\`: syntax error`, text);
  if (/error: configuration database locked by/.test(text)) {
    const holder = /locked by:\s*\n?\s*(\S+)/.exec(text)?.[1] ?? "another user";
    return new JunosError("lock", `configuration database locked by ${holder}`, text);
  }
  if (/^error: /m.test(text)) {
    const first = /^error: (.*)$/m.exec(text)?.[1] ?? text;
    return new JunosError(command.startsWith("commit") ? "commit" : "syntax", `switch refused \`${command}\`: ${first}`, text);
  }
  return null;
}
