"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormField } from "@/components/switches/form-field";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ChangeLine, ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorText } from "@/components/ui/error-text";

// VLANs, prefixes and reservations edited in the console. Every form names its fields after the
// row it edits, so labels stay unique on a page that lists many rows.

const blankToNull = (d: FormData, k: string) => String(d.get(k) ?? "").trim() || null;
const SELECT = "border-input h-9 rounded-md border bg-transparent px-2 text-sm";

/** A create-or-edit form's submit button, its error and its "Saved." (the VLAN and prefix forms). */
function SaveControls({ run, label }: { run: { isPending: boolean; isSuccess: boolean; error: { message: string } | null }; label: string }) {
  return (
    <>
      <Button type="submit" disabled={run.isPending}>
        {label}
      </Button>
      <ErrorText error={run.error} className="text-sm" />
      {run.isSuccess && (
        <span className="text-sm" role="status">
          Saved.
        </span>
      )}
    </>
  );
}

type VlanRow = { vid: number; name: string; status: "current" | "planned"; environment: string | null; description: string | null };

/** Create a VLAN (no `vlan`) or edit one; the VID is fixed once created. */
export function VlanForm({ vlan }: { vlan?: VlanRow }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.ipam.createVlan.mutationOptions({ onSuccess: () => router.refresh() }));
  const update = useMutation(trpc.ipam.updateVlan.mutationOptions({ onSuccess: () => router.refresh() }));
  const run = vlan ? update : create;
  const key = vlan ? `vlan-${vlan.vid}` : "vlan-new";
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    const fields = {
      name: String(d.get(`${key}-name`) ?? ""),
      status: String(d.get(`${key}-status`)) === "planned" ? ("planned" as const) : ("current" as const),
      environment: blankToNull(d, `${key}-environment`),
      description: blankToNull(d, `${key}-description`),
    };
    if (vlan) update.mutate({ vid: vlan.vid, ...fields });
    else create.mutate({ vid: Number(d.get(`${key}-vid`)), ...fields });
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label={vlan ? `Edit VLAN ${vlan.vid}` : "Add VLAN"}>
      {!vlan && <FormField name={`${key}-vid`} label="VID" type="number" className="w-24" required />}
      <FormField name={`${key}-name`} label="Name" defaultValue={vlan?.name} required />
      <label className="grid gap-1.5 text-sm">
        Status
        <select name={`${key}-status`} defaultValue={vlan?.status ?? "planned"} className={SELECT}>
          <option value="current">current</option>
          <option value="planned">planned</option>
        </select>
      </label>
      <FormField name={`${key}-environment`} label="Environment" defaultValue={vlan?.environment ?? ""} />
      <FormField name={`${key}-description`} label="Description" defaultValue={vlan?.description ?? ""} />
      <SaveControls run={run} label={vlan ? "Save VLAN" : "Add VLAN"} />
    </form>
  );
}

/** Delete after a look at what goes; a refusal (what still holds the VLAN or prefix) is shown in the dialog. */
function DeleteButton({ label, what, onDelete }: { label: string; what: string; onDelete: () => Promise<unknown> }) {
  return (
    <ConfirmDialog
      trigger={
        <Button size="sm" variant="ghost" aria-label={`Delete ${label}`}>
          Delete
        </Button>
      }
      title={`Delete ${label}?`}
      description="Refused while anything still uses it; the refusal names what."
      confirmLabel={`Delete ${label}`}
      isDestructive
      onConfirm={onDelete}
    >
      <ChangeLine label={label} after={what} />
    </ConfirmDialog>
  );
}

export function DeleteVlanButton({ vid }: { vid: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const del = useMutation(trpc.ipam.deleteVlan.mutationOptions({ onSuccess: () => router.refresh() }));
  return <DeleteButton label={`VLAN ${vid}`} what="removed from the VLAN plan" onDelete={() => del.mutateAsync({ vid })} />;
}

export function DeletePrefixButton({ id, prefix }: { id: number; prefix: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const del = useMutation(trpc.ipam.deletePrefix.mutationOptions({ onSuccess: () => router.refresh() }));
  return <DeleteButton label={prefix} what="prefix removed from IPAM" onDelete={() => del.mutateAsync({ id })} />;
}

type PrefixRow = {
  id: number;
  prefix: string;
  vid: number | null;
  gateway: string | null;
  environment: string | null;
  routingNotes: string | null;
  description: string | null;
};

/** Create a prefix (no `row`) or edit one; the range may change only while it holds no address. */
export function PrefixForm({ row, vids }: { row?: PrefixRow; vids: number[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.ipam.createPrefix.mutationOptions({ onSuccess: () => router.refresh() }));
  const update = useMutation(trpc.ipam.updatePrefix.mutationOptions({ onSuccess: () => router.refresh() }));
  const run = row ? update : create;
  const key = row ? `prefix-${row.id}` : "prefix-new";
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    const vid = blankToNull(d, `${key}-vid`);
    const fields = {
      prefix: String(d.get(`${key}-prefix`) ?? "").trim(),
      vid: vid ? Number(vid) : null,
      gateway: blankToNull(d, `${key}-gateway`),
      environment: blankToNull(d, `${key}-environment`),
      routingNotes: blankToNull(d, `${key}-routing`),
      description: blankToNull(d, `${key}-description`),
    };
    if (row) update.mutate({ id: row.id, ...fields });
    else create.mutate(fields);
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label={row ? `Edit prefix ${row.prefix}` : "Add prefix"}>
      <FormField name={`${key}-prefix`} label="Prefix" defaultValue={row?.prefix} placeholder="10.110.0.0/24" className="w-40 font-mono" required />
      <label className="grid gap-1.5 text-sm">
        VLAN
        <select name={`${key}-vid`} defaultValue={row?.vid ?? ""} className={SELECT}>
          <option value="">none</option>
          {vids.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>
      <FormField name={`${key}-gateway`} label="Gateway" defaultValue={row?.gateway ?? ""} className="w-36 font-mono" />
      <FormField name={`${key}-environment`} label="Environment" defaultValue={row?.environment ?? ""} className="w-32" />
      <FormField name={`${key}-description`} label="Description" defaultValue={row?.description ?? ""} />
      <FormField name={`${key}-routing`} label="Routing notes" defaultValue={row?.routingNotes ?? ""} />
      <SaveControls run={run} label={row ? "Save prefix" : "Add prefix"} />
    </form>
  );
}

/** Reserve an address for an owner and a service: a given address, or the next free one of a prefix. */
export function ReserveAddressForm({ prefixes }: { prefixes: Array<{ id: number; prefix: string }> }) {
  const trpc = useTRPC();
  const router = useRouter();
  const reserve = useMutation(trpc.ipam.reserveAddress.mutationOptions({ onSuccess: () => router.refresh() }));
  // What the form asks for, shown before anything is reserved; a blank address is proposed first.
  const [asked, setAsked] = useState<{ ownerTeam: string; service: string; hostname: string | null; address: string | null; prefixId: number } | null>(null);
  const proposal = useQuery({
    ...trpc.ipam.proposeNextFree.queryOptions({ prefixId: asked?.prefixId ?? 1 }),
    enabled: !!asked && !asked.address,
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
  const address = asked?.address ?? proposal.data?.address ?? null;
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    reserve.reset();
    setAsked({
      ownerTeam: String(d.get("reserve-owner") ?? ""),
      service: String(d.get("reserve-service") ?? ""),
      hostname: blankToNull(d, "reserve-hostname"),
      address: blankToNull(d, "reserve-address"),
      prefixId: Number(d.get("reserve-prefix")),
    });
  }
  const confirm = (
    <ConfirmDialog
      open={!!asked}
      onOpenChange={(isOpen) => !isOpen && setAsked(null)}
      title={address ? `Reserve ${address}?` : "Reserve the next free address?"}
      confirmLabel={address ? `Reserve ${address}` : "Reserve"}
      isConfirmDisabled={!address}
      onConfirm={async () => {
        try {
          await reserve.mutateAsync({ ownerTeam: asked!.ownerTeam, service: asked!.service, hostname: asked!.hostname, address: address! });
        } catch (e) {
          if (!asked?.address) await proposal.refetch();
          throw e;
        }
      }}
    >
      {asked && !asked.address && proposal.isPending && <span role="status">Finding the next free address…</span>}
      <ErrorText error={proposal.error} />
      {address && <ChangeLine label={address} after="new IPAM row, status planned (reserved)" />}
      {asked && <ChangeLine label="owner team" after={asked.ownerTeam} />}
      {asked && <ChangeLine label="for service" after={asked.service} />}
      {asked?.hostname && <ChangeLine label="hostname" after={asked.hostname} />}
    </ConfirmDialog>
  );
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Reserve address">
      <FormField name="reserve-address" label="Address (blank: next free)" className="w-40 font-mono" />
      <label className="grid gap-1.5 text-sm">
        in prefix
        <select name="reserve-prefix" className={SELECT} aria-label="Reserve in prefix">
          {prefixes.map((p) => (
            <option key={p.id} value={p.id}>
              {p.prefix}
            </option>
          ))}
        </select>
      </label>
      <FormField name="reserve-owner" label="Owner team" required />
      <FormField name="reserve-service" label="For service" required />
      <FormField name="reserve-hostname" label="Hostname" />
      <Button type="submit" variant="outline" disabled={reserve.isPending}>
        Reserve
      </Button>
      {confirm}
      {reserve.data && (
        <span className="font-mono text-sm" role="status">
          Reserved {reserve.data.address}
        </span>
      )}
    </form>
  );
}
