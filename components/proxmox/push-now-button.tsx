"use client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ChangeLine, ConfirmDialog } from "@/components/ui/confirm-dialog";

/** Pushes the preview shown above it: the dialog repeats that preview's difference (the server's one computation), nothing recomputed here. */
export function PushNowButton({
  serverId,
  target,
  added,
  removed,
  keptCount,
}: {
  serverId: number;
  target: string;
  added: string[];
  removed: string[];
  keptCount: number;
}) {
  const trpc = useTRPC();
  const push = useMutation(trpc.proxmox.pushNow.mutationOptions());
  return (
    <div className="flex flex-wrap items-center gap-3">
      <ConfirmDialog
        trigger={<Button type="button">Push now</Button>}
        title={`Push server ${serverId}'s bindings to ${target}?`}
        description="The switch's port is set to the preview above, as of now: queued in the switch's queue and committed with a rollback timer."
        confirmLabel="Push now"
        onConfirm={() => push.mutateAsync({ serverId })}
      >
        {added.map((b) => (
          <ChangeLine key={`+${b}`} label={<span className="text-green-700 dark:text-green-400">+ add</span>} after={b} />
        ))}
        {removed.map((b) => (
          <ChangeLine key={`-${b}`} label={<span className="text-destructive">− remove</span>} after={b} />
        ))}
        <ChangeLine label="kept as they are" after={String(keptCount)} />
        {added.length === 0 && removed.length === 0 && <p className="text-muted-foreground">No binding changes: the push only re-applies the port.</p>}
      </ConfirmDialog>
      {push.data && (
        <span className="text-sm" role="status">
          Queued as job {push.data.jobId} in the switch&apos;s queue:{" "}
          <Link className="underline" href={`/it/switches/${push.data.switchId}`}>
            follow the push
          </Link>
        </span>
      )}
    </div>
  );
}
