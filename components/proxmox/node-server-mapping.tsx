"use client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ChangeLine, ConfirmDialog } from "@/components/ui/confirm-dialog";

/**
 * Which Tenantos server is this node: confirmed by an admin (its uplink then carries the node's
 * VMs), or a hostname suggestion that changes nothing until confirmed.
 */
export function NodeServerMapping(props: {
  node: string;
  serverId: number | null;
  confirmedBy: string | null;
  suggestedServerId: number | null;
  canEdit: boolean;
  previewHrefBase: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const confirm = useMutation(trpc.proxmox.confirmNodeServer.mutationOptions({ onSuccess: () => router.refresh() }));
  const remove = useMutation(trpc.proxmox.removeNodeServer.mutationOptions({ onSuccess: () => router.refresh() }));
  const error = confirm.error ?? remove.error;
  // A change that takes bindings off an uplink waits for a second admin: say so, with what it would remove.
  const waiting = [confirm.data, remove.data].find((d) => d?.status === "pending");
  return (
    <span className="ml-auto flex flex-wrap items-center gap-2 text-sm font-normal" data-testid={`node-mapping-${props.node}`}>
      {props.serverId ? (
        <>
          <Link className="underline" href={`${props.previewHrefBase}${props.serverId}`}>
            Uplink of Tenantos server {props.serverId}
          </Link>
          <span className="text-muted-foreground">confirmed by {props.confirmedBy}</span>
          {props.canEdit && (
            <ConfirmDialog
              trigger={
                <Button size="sm" variant="ghost" aria-label={`Unmap ${props.node}`}>
                  Unmap
                </Button>
              }
              title={`Unmap node ${props.node} from Tenantos server ${props.serverId}?`}
              description="The node's VMs are no longer bound on that server's uplink at the next push. A change that takes bindings off waits for a second admin, who sees each one."
              confirmLabel={`Unmap ${props.node}`}
              isDestructive
              onConfirm={() => remove.mutateAsync({ node: props.node })}
            >
              <ChangeLine label={`node ${props.node}`} before={`uplink of Tenantos server ${props.serverId}`} after="no server mapped" />
            </ConfirmDialog>
          )}
        </>
      ) : props.suggestedServerId ? (
        <>
          <span className="text-muted-foreground">suggested: Tenantos server {props.suggestedServerId} (same hostname), not used until confirmed</span>
          {props.canEdit && (
            <Button size="sm" disabled={confirm.isPending} onClick={() => confirm.mutate({ node: props.node, serverId: props.suggestedServerId! })}>
              Confirm
            </Button>
          )}
        </>
      ) : (
        <span className="text-muted-foreground">no Tenantos server mapped</span>
      )}
      {waiting?.status === "pending" && (
        <span className="whitespace-pre-line" role="status" data-testid={`node-mapping-${props.node}-pending`}>
          Waiting for a second admin on{" "}
          <Link className="underline" href="/it/approvals">
            /it/approvals
          </Link>
          : {waiting.summary}
        </span>
      )}
      {error && (
        <span className="text-destructive" role="alert">
          {error.message}
        </span>
      )}
    </span>
  );
}
