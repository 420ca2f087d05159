interface TrpcLikeError {
  message: string;
  data?: { field?: string | null; zodError?: { fieldErrors: Record<string, string[] | undefined> } | null } | null;
}

/** The message for one form field, from an AppError's field or zod's field errors. */
export function fieldError(error: TrpcLikeError | null | undefined, field: string): string | undefined {
  if (!error) return undefined;
  const zod = error.data?.zodError?.fieldErrors[field]?.[0];
  if (zod) return zod;
  return error.data?.field === field ? error.message : undefined;
}
