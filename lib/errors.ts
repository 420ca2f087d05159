// The one error domain code throws. The tRPC error formatter maps `code` to a tRPC code.
export type AppErrorCode = "BAD_REQUEST" | "NOT_FOUND" | "CONFLICT" | "FORBIDDEN" | "UNAUTHORIZED" | "UNAVAILABLE" | "INTERNAL";

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Which input field was wrong, when there is one. */
  readonly field?: string;

  constructor(code: AppErrorCode, message: string, opts: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.field = opts.field;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
