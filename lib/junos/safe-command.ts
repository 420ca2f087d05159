import { AppError } from "../errors";

// Belt and braces after the value grammars: a command we send is `set`/`delete` followed by plain
// tokens of these characters, single-spaced, on one line. No quotes, pipes, semicolons, braces.
const SAFE = /^(set|delete) [A-Za-z0-9][A-Za-z0-9._:/-]*( [A-Za-z0-9][A-Za-z0-9._:/-]*)*$/;

export function assertSafeCommand(command: string): void {
  if (!SAFE.test(command)) throw new AppError("INTERNAL", `refusing to send an unsafe command: ${JSON.stringify(command)}`);
}
