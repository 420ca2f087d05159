"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { FormField } from "./form-field";
import { ErrorText } from "@/components/ui/error-text";

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

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    set.mutate({
      switchId,
      interface: String(d.get("interface") ?? "").trim(),
      bindings: parseLines(String(d.get("bindings") ?? "")),
      ticketId: String(d.get("ticket") ?? "") || undefined,
    });
  }

  return (
    <form onSubmit={onSubmit} className="mt-4 grid max-w-3xl grid-cols-[12rem_1fr] gap-4">
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
        <ErrorText error={set.error} className="text-sm" />
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
