"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";

/** Imports the declared files from the paths the deployment configured (shown, never editable here). */
export function ImportFromPathsButton({ paths }: { paths: { conf: string | null; doc: string | null } }) {
  const trpc = useTRPC();
  const router = useRouter();
  const run = useMutation(trpc.inventory.importFromPaths.mutationOptions({ onSuccess: () => router.refresh() }));
  if (!paths.conf && !paths.doc) return null;
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <Button type="button" variant="outline" disabled={run.isPending} onClick={() => run.mutate()}>
        Import from configured files
      </Button>
      <span className="text-muted-foreground font-mono text-xs">{[paths.conf, paths.doc].filter(Boolean).join(", ")}</span>
      <ErrorText error={run.error} />
      {run.data && (
        <span role="status">
          Imported
          {run.data.ipam
            ? `: IPAM ${run.data.ipam.created} new, ${run.data.ipam.updated} updated, ${run.data.ipam.unchanged} unchanged, ${run.data.ipam.conflicts.length} conflicts`
            : ""}
          .
        </span>
      )}
    </div>
  );
}
