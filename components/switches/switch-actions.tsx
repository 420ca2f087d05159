"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";

export function CheckDriftButton({ switchId }: { switchId: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const check = useMutation(trpc.switches.checkDrift.mutationOptions({ onSuccess: () => setTimeout(() => router.refresh(), 1_500) }));
  return (
    <span className="flex items-center gap-2">
      <Button size="sm" variant="outline" disabled={check.isPending} onClick={() => check.mutate({ id: switchId })}>
        Check drift now
      </Button>
      {check.error && <span className="text-destructive text-sm" role="alert">{check.error.message}</span>}
    </span>
  );
}
