"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ChangeLine, ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { FormField } from "./form-field";

/** One binding per line: `IP MAC VLAN`. The server validates every value and names the bad one. */
function parseLines(text: string) {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [ip = "", mac = "", vlan = ""] = l.split(/\s+/);
      return { ip, mac, vlan };
    });
}

export function PortBindingsForm({ switchId }: { switchId: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const set = useMutation(trpc.switches.setPortBindings.mutationOptions({ onSuccess: () => router.refresh() }));
  // What the form asks to push, shown before anything is queued.
  const [asked, setAsked] = useState<{ switchId: number; interface: string; bindings: ReturnType<typeof parseLines>; ticketId?: string } | null>(null);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    set.reset();
    setAsked({
      switchId,
      interface: String(d.get("interface") ?? "").trim(),
      bindings: parseLines(String(d.get("bindings") ?? "")),
      ticketId: String(d.get("ticket") ?? "") || undefined,
    });
  }

  return (
    <form onSubmit={onSubmit} className="mt-4 grid max-w-3xl gap-4 sm:grid-cols-[12rem_1fr]">
      <FormField name="interface" label="Port" placeholder="ge-0/0/1.0" required />
      <div className="grid gap-1.5">
        <Label htmlFor="bindings">Bindings, one per line: IP MAC VLAN (empty wipes the port)</Label>
        <Textarea id="bindings" name="bindings" rows={3} className="font-mono text-xs" placeholder="10.0.48.5 aa:bb:cc:dd:ee:ff VLAN.13" />
      </div>
      <FormField name="ticket" label="Ticket (optional)" />
      <div className="flex items-end gap-3">
        <Button type="submit" disabled={set.isPending}>
          Save and push
        </Button>
        <ConfirmDialog
          open={!!asked}
          onOpenChange={(isOpen) => !isOpen && setAsked(null)}
          title={`Set the bindings of ${asked?.interface ?? ""} and push?`}
          description="The port ends up with exactly these bindings: any other binding on it is removed, and a change that removes bindings waits for a second admin, who sees each one."
          confirmLabel="Save and push"
          onConfirm={() => set.mutateAsync(asked!)}
        >
          {asked?.bindings.map((b) => (
            <ChangeLine key={`${b.ip} ${b.mac}`} label={<span className="font-mono">{b.ip}</span>} after={`${b.mac} ${b.vlan}`} />
          ))}
          {asked && asked.bindings.length === 0 && <ChangeLine label={asked.interface} after="every binding removed (the port is wiped)" />}
          {asked?.ticketId && <ChangeLine label="ticket" after={asked.ticketId} />}
        </ConfirmDialog>
        {set.data && (
          <span className="text-sm" role="status">
            {set.data.status === "pending" ? (
              <>
                Removes bindings: waiting for a second admin&apos;s approval (request #{set.data.approvalId},{" "}
                <a className="underline" href="/it/approvals">
                  Approvals
                </a>
                ).
              </>
            ) : (
              `Queued as job ${set.data.jobId}.`
            )}
          </span>
        )}
      </div>
    </form>
  );
}
