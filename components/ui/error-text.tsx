import { cn } from "@/lib/utils";

/** A failed request's message where the action was taken (screen readers hear it at once); nothing when there is no error. */
export function ErrorText({ error, className, as: Tag = "span" }: { error: { message: string } | null | undefined; className?: string; as?: "span" | "p" }) {
  if (!error) return null;
  return (
    <Tag className={cn("text-destructive", className)} role="alert">
      {error.message}
    </Tag>
  );
}
