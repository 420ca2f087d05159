"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { PublicSwitch } from "@/server/services/switches";

export function HostKeyPanel({ sw, canApprove }: { sw: PublicSwitch; canApprove: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const approve = useMutation(trpc.switches.approveHostKey.mutationOptions({ onSuccess: () => router.refresh() }));
  const offered = sw.hostKeyState === "mismatch" ? sw.hostKeyPresented : sw.hostKeyFingerprint;
  if (sw.hostKeyState === "approved") {
    return <p className="text-sm">Host key approved: <code className="text-xs">{sw.hostKeyFingerprint}</code></p>;
  }
  if (sw.hostKeyState === "unknown") return <p className="text-sm">Host key: not contacted yet.</p>;
  return (
    <Alert variant={sw.hostKeyState === "mismatch" ? "destructive" : "default"} data-testid="host-key-alert">
      <AlertTitle>{sw.hostKeyState === "mismatch" ? "The switch presented a different host key: nothing is pushed" : "Host key awaiting approval: nothing is pushed until then"}</AlertTitle>
      <AlertDescription>
        <p>
          Presented: <code className="text-xs">{offered ?? "—"}</code>
          {sw.hostKeyState === "mismatch" && <> · approved before: <code className="text-xs">{sw.hostKeyFingerprint}</code></>}
        </p>
        <p>Compare it with the switch&apos;s own `show system ssh-host-key` on its console before approving.</p>
        {canApprove && offered && (
          <Button className="mt-2 w-fit" size="sm" disabled={approve.isPending} onClick={() => approve.mutate({ id: sw.id, fingerprint: offered })}>
            Approve this key
          </Button>
        )}
        {approve.error && <p className="text-destructive" role="alert">{approve.error.message}</p>}
      </AlertDescription>
    </Alert>
  );
}
