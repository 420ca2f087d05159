import type { z } from "zod";

/** An outside system answered something we could not read: the message names the system, the call and the field. */
export class AnswerShapeError extends Error {
  readonly kind = "shape" as const;
  constructor(message: string) {
    super(message);
    this.name = "AnswerShapeError";
  }
}

/**
 * Parses an outside answer with its zod schema; on a mismatch the error names the first wrong
 * field by its path (e.g. `data[3].port_table[2].port_idx`), so an admin can see what changed upstream.
 */
export function parseAnswer<S extends z.ZodType>(schema: S, json: unknown, what: string): z.output<S> {
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "");
  throw new AnswerShapeError(`${what}: unexpected answer at ${field || "(top level)"}: ${issue.message}`);
}
