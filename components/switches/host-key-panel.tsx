"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ChangeLine, ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { PublicSwitch } from "@/server/services/switches/switches";
import { ErrorText } from "@/components/ui/error-text";

export function HostKeyPanel({ sw, canApprove }: { sw: PublicSwitch; canApprove: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const approve = useMutation(trpc.switches.approveHostKey.mutationOptions({ onSuccess: () => router.refresh() }));
  if (sw.hostKeyState === "approved") {
    return (
      <p className="text-sm">
        Host key approved: <code className="text-xs">{sw.hostKeyFingerprint}</code>
      </p>
    );
  }
  if (sw.hostKeyState === "unknown") return <p className="text-sm">Host key: not contacted yet (a new address is contacted once to learn it).</p>;
  if (sw.hostKeyState === "mismatch") return <MismatchPanel sw={sw} canApprove={canApprove} />;
  const offered = sw.hostKeyFingerprint;
  return (
    <Alert data-testid="host-key-alert">
      <AlertTitle>Host key awaiting approval: nothing is pushed until then</AlertTitle>
      <AlertDescription>
        <p>
          Presented: <code className="text-xs">{offered ?? "—"}</code>
        </p>
        <p>Compare it with the switch&apos;s own `show system ssh-host-key` on its console before approving.</p>
        {canApprove && offered && (
          <ConfirmDialog
            trigger={
              <Button className="mt-2 w-fit" size="sm">
                Approve this key
              </Button>
            }
            title={`Trust this host key for ${sw.name}?`}
            description="Every later connection must present exactly this key; pushes to the switch start once it is approved."
            confirmLabel="Approve this key"
            onConfirm={() => approve.mutateAsync({ id: sw.id, fingerprint: offered })}
          >
            <ChangeLine label="approved host key" before="none" after={<span className="break-all">{offered}</span>} />
          </ConfirmDialog>
        )}
      </AlertDescription>
    </Alert>
  );
}

/**
 * A key that changed after approval is a replaced or re-keyed switch, or someone in its place. The
 * admin sees both fingerprints and must type (or paste) the new one: a single click is too easy to
 * give without reading.
 */
function MismatchPanel({ sw, canApprove }: { sw: PublicSwitch; canApprove: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [typed, setTyped] = useState("");
  const approve = useMutation(trpc.switches.approveHostKey.mutationOptions({ onSuccess: () => router.refresh() }));
  const presented = sw.hostKeyPresented;
  const isMatch = presented !== null && typed.trim() === presented;
  return (
    <Alert variant="destructive" data-testid="host-key-alert">
      <AlertTitle>The switch presented a different host key: nothing is pushed</AlertTitle>
      <AlertDescription>
        <div className="my-2 grid w-full gap-4 sm:grid-cols-2" data-testid="host-key-compare">
          <div>
            <div className="text-xs font-medium uppercase">Approved before</div>
            <code className="block text-xs break-all" data-testid="host-key-approved">
              {sw.hostKeyFingerprint ?? "—"}
            </code>
          </div>
          <div>
            <div className="text-xs font-medium uppercase">Presented now</div>
            <code className="block text-xs font-semibold break-all" data-testid="host-key-presented">
              {presented ?? "not recorded"}
            </code>
          </div>
        </div>
        <p>
          Approve the new key only if you know why it changed (switch replaced, re-installed, keys regenerated) and it matches the switch&apos;s `show system
          ssh-host-key` read on its console.
        </p>
        {canApprove && presented && (
          <form
            className="mt-2 grid w-full max-w-xl gap-1.5"
            onSubmit={(e) => {
              e.preventDefault();
              if (isMatch) approve.mutate({ id: sw.id, fingerprint: presented });
            }}
          >
            <Label htmlFor="confirmFingerprint">Type or paste the presented fingerprint to approve it</Label>
            <div className="flex gap-2">
              <Input
                id="confirmFingerprint"
                className="font-mono text-xs"
                autoComplete="off"
                spellCheck={false}
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                placeholder="SHA256:…"
              />
              <Button type="submit" size="sm" disabled={!isMatch || approve.isPending}>
                Approve the new key
              </Button>
            </div>
            {typed.trim() !== "" && !isMatch && <p className="text-xs">Not the presented fingerprint yet.</p>}
          </form>
        )}
        <ErrorText error={approve.error} as="p" />
      </AlertDescription>
    </Alert>
  );
}
