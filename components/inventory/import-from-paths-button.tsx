"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { ImportPlanView } from "@/components/ipam/import-plan-view";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";

/**
 * Imports the declared files from the paths the deployment configured (shown, never editable
 * here): the IPAM plan first, then the import with that plan's digest.
 */
export function ImportFromPathsButton({ paths }: { paths: { conf: string | null; doc: string | null } }) {
  const trpc = useTRPC();
  const router = useRouter();
  const plan = useMutation(trpc.inventory.planFromPaths.mutationOptions());
  const run = useMutation(trpc.inventory.importFromPaths.mutationOptions({ onSuccess: () => router.refresh() }));
  if (!paths.conf && !paths.doc) return null;
  return (
    <div className="grid gap-2 text-sm">
      <div className="flex flex-wrap items-center gap-3">
        <Button
          type="button"
          variant="outline"
          disabled={plan.isPending}
          onClick={() => {
            run.reset();
            plan.mutate();
          }}
        >
          Plan import from configured files
        </Button>
        {plan.data && !run.data && (
          <Button type="button" disabled={run.isPending} onClick={() => run.mutate({ ipamDigest: plan.data.ipam?.digest })}>
            Import configured files
          </Button>
        )}
        <span className="text-muted-foreground font-mono text-xs">{[paths.conf, paths.doc].filter(Boolean).join(", ")}</span>
        <ErrorText error={plan.error ?? run.error} />
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
      {plan.data?.ipam && !run.data && <ImportPlanView plan={plan.data.ipam} />}
    </div>
  );
}
