"use client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";

export function PushNowButton({ serverId }: { serverId: number }) {
  const trpc = useTRPC();
  const push = useMutation(trpc.proxmox.pushNow.mutationOptions());
  return (
    <div className="flex items-center gap-3">
      <Button type="button" onClick={() => push.mutate({ serverId })} disabled={push.isPending}>
        {push.isPending ? "Queuing…" : "Push now"}
      </Button>
      <ErrorText error={push.error} className="text-sm" />
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
