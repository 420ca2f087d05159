"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ChangeLine, ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorText } from "@/components/ui/error-text";

export function CheckDriftButton({ switchId }: { switchId: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const check = useMutation(trpc.switches.checkDrift.mutationOptions({ onSuccess: () => setTimeout(() => router.refresh(), 1_500) }));
  return (
    <span className="flex items-center gap-2">
      <Button size="sm" variant="outline" disabled={check.isPending} onClick={() => check.mutate({ id: switchId })}>
        Check drift now
      </Button>
      <ErrorText error={check.error} className="text-sm" />
    </span>
  );
}

/** Pushes the drifted managed ports back through the normal reconcile (the last drift check names them). */
export function RepairDriftButton({ switchId, ports }: { switchId: number; ports: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const repair = useMutation(trpc.switches.repairDrift.mutationOptions({ onSuccess: () => setTimeout(() => router.refresh(), 1_500) }));
  return (
    <span className="flex items-center gap-2">
      <ConfirmDialog
        trigger={
          <Button size="sm" disabled={repair.isSuccess}>
            Repair {ports.length === 1 ? "1 port" : `${ports.length} ports`}
          </Button>
        }
        title={`Push ${ports.length === 1 ? "1 drifted port" : `${ports.length} drifted ports`} back?`}
        description="Each port named by the last drift check is pushed again to its desired bindings, through the switch's queue; the difference is in each push's transcript."
        confirmLabel={`Repair ${ports.length === 1 ? "1 port" : `${ports.length} ports`}`}
        onConfirm={() => repair.mutateAsync({ id: switchId })}
      >
        {ports.map((p) => (
          <ChangeLine key={p} label={<span className="font-mono">{p}</span>} after="pushed back to its desired bindings" />
        ))}
      </ConfirmDialog>
      {repair.isSuccess && (
        <span className="text-sm" role="status">
          Queued: the ports are pushed again.
        </span>
      )}
    </span>
  );
}
