"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormField } from "@/components/switches/form-field";
import { fieldError } from "@/components/switches/error-text";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ChangeLine, ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Textarea } from "@/components/ui/textarea";
import { ErrorText } from "@/components/ui/error-text";
import { ImportPlanView } from "./import-plan-view";

/** "Next free" proposes (a read that claims nothing), shows the address, and claims exactly that one on confirm. */
export function NextFreeButton({ prefixId, prefix }: { prefixId: number; prefix: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [isOpen, setOpen] = useState(false);
  const proposal = useQuery({ ...trpc.ipam.proposeNextFree.queryOptions({ prefixId }), enabled: isOpen, staleTime: 0, gcTime: 0, retry: false });
  const claim = useMutation(trpc.ipam.claimNextFree.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <span className="inline-flex items-center gap-2">
      <ConfirmDialog
        open={isOpen}
        onOpenChange={(next) => {
          setOpen(next);
          if (next) claim.reset();
        }}
        trigger={
          <Button size="sm" variant="outline" aria-label={`Claim next free in ${prefix}`}>
            Next free
          </Button>
        }
        title={`Claim the next free address of ${prefix}?`}
        description="Nothing is claimed until you confirm. If someone takes this address first, the claim refuses and shows the new one."
        confirmLabel={proposal.data ? `Claim ${proposal.data.address}` : "Claim"}
        isConfirmDisabled={!proposal.data}
        onConfirm={async () => {
          try {
            await claim.mutateAsync({ prefixId, expected: proposal.data!.address });
          } catch (e) {
            // Taken meanwhile: show the address that is free now, to confirm again.
            await proposal.refetch();
            throw e;
          }
        }}
      >
        {proposal.isPending && <span role="status">Finding the next free address…</span>}
        {proposal.data && (
          <ChangeLine
            label={<span data-testid="next-free-proposal">{proposal.data.address}</span>}
            after={`new IPAM row in ${proposal.data.prefix}, status planned, source console`}
          />
        )}
        <ErrorText error={proposal.error} />
      </ConfirmDialog>
      {claim.data && (
        <span className="font-mono text-xs" role="status">
          claimed {claim.data.address}
        </span>
      )}
    </span>
  );
}

export function ReleaseButton({
  id,
  address,
  hostname,
  status,
  owner,
}: {
  id: number;
  address: string;
  hostname?: string | null;
  status?: string;
  owner?: string | null;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const release = useMutation(trpc.ipam.releaseAddress.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <span className="inline-flex items-center gap-2">
      <ConfirmDialog
        trigger={
          <Button size="sm" variant="ghost" aria-label={`Release ${address}`}>
            Release
          </Button>
        }
        title={`Release ${address}?`}
        description="The address goes back to the free pool. If a switch binds it, the release waits for a second admin, who sees the bindings it takes away."
        confirmLabel={`Release ${address}`}
        isDestructive
        onConfirm={() => release.mutateAsync({ id })}
      >
        <ChangeLine label="status" before={status ?? "in use"} after="released" />
        {hostname && <ChangeLine label="hostname" before={hostname} />}
        {owner && <ChangeLine label="owner" before={owner} />}
      </ConfirmDialog>
      {release.data?.status === "pending" && (
        <span className="text-xs whitespace-pre-line" role="status">
          A switch binds it: waiting for a second admin on /it/approvals. {release.data.summary}
        </span>
      )}
    </span>
  );
}

export function CreateAddressForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.ipam.createAddress.mutationOptions({ onSuccess: () => router.refresh() }));
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    const s = (k: string) => String(d.get(k) ?? "").trim() || null;
    create.mutate({ address: s("address") ?? "", hostname: s("hostname"), mac: s("mac"), service: s("service"), vmid: s("vmid") ? Number(s("vmid")) : null });
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Add address">
      <FormField name="address" label="Address" placeholder="10.11.0.20" required error={fieldError(create.error, "address")} />
      <FormField name="hostname" label="Hostname" />
      <FormField name="vmid" label="VMID" type="number" className="w-28" />
      <FormField name="mac" label="MAC" className="font-mono" error={fieldError(create.error, "MAC address")} />
      <FormField name="service" label="Service" />
      <Button type="submit" disabled={create.isPending}>
        Add address
      </Button>
      <ErrorText error={!fieldError(create.error, "address") ? create.error : null} className="text-sm" />
      {create.data && (
        <span className="text-sm" role="status">
          Added {create.data.address}
        </span>
      )}
    </form>
  );
}

/** NetBox CSV in, in two steps: the plan first, then "Apply" with the plan's digest. */
export function CsvImportForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [kind, setKind] = useState<"vlans" | "prefixes" | "ip-addresses">("prefixes");
  const [csv, setCsv] = useState("");
  const plan = useMutation(trpc.ipam.planCsvImport.mutationOptions());
  const apply = useMutation(trpc.ipam.applyCsvImport.mutationOptions({ onSuccess: () => router.refresh() }));
  // A plan belongs to the exact text and kind it was made for: editing either drops it.
  const reset = () => {
    plan.reset();
    apply.reset();
  };
  return (
    <form
      aria-label="Import NetBox CSV"
      className="grid gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        apply.reset();
        plan.mutate({ kind, csv });
      }}
    >
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <label className="flex items-center gap-2">
          NetBox CSV of
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as typeof kind);
              reset();
            }}
            className="border-input h-9 rounded-md border bg-transparent px-2"
            aria-label="CSV kind"
          >
            <option value="vlans">VLANs</option>
            <option value="prefixes">prefixes</option>
            <option value="ip-addresses">IP addresses</option>
          </select>
        </label>
        <input
          type="file"
          accept=".csv,text/csv"
          aria-label="CSV file"
          onChange={async (e) => {
            setCsv((await e.target.files?.[0]?.text()) ?? "");
            reset();
          }}
        />
      </div>
      <Textarea
        value={csv}
        onChange={(e) => {
          setCsv(e.target.value);
          reset();
        }}
        rows={5}
        className="font-mono text-xs"
        placeholder="prefix,status,vlan,description"
        aria-label="CSV text"
      />
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <Button type="submit" variant="outline" disabled={plan.isPending || !csv.trim()}>
          Plan import
        </Button>
        {plan.data && !apply.data && (
          <Button type="button" disabled={apply.isPending} onClick={() => apply.mutate({ kind, csv, digest: plan.data.digest })}>
            Apply import
          </Button>
        )}
        <ErrorText error={plan.error ?? apply.error} />
        {apply.data && (
          <span role="status">
            Imported: {apply.data.created} new, {apply.data.updated} updated, {apply.data.unchanged} unchanged, {apply.data.conflicts.length} conflicts left
            out.
          </span>
        )}
      </div>
      {plan.data && !apply.data && <ImportPlanView plan={plan.data} />}
    </form>
  );
}

export function EditAddressForm({
  row,
}: {
  row: {
    id: number;
    address: string;
    hostname: string | null;
    vmid: number | null;
    mac: string | null;
    service: string | null;
    ownerTeam: string | null;
    status: "planned" | "active" | "deprecated" | "released";
  };
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(trpc.ipam.updateAddress.mutationOptions({ onSuccess: () => router.refresh() }));
  // An edit that releases the address asks first, like the Release button, listing every field it changes.
  const [releasing, setReleasing] = useState<Parameters<typeof save.mutate>[0] | null>(null);
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    const s = (k: string) => String(d.get(k) ?? "").trim() || null;
    const values = {
      id: row.id,
      hostname: s("edit-hostname"),
      vmid: s("edit-vmid") ? Number(s("edit-vmid")) : null,
      mac: s("edit-mac"),
      service: s("edit-service"),
      ownerTeam: s("edit-owner"),
      status: (s("edit-status") ?? row.status) as typeof row.status,
    };
    if (values.status === "released" && row.status !== "released") setReleasing(values);
    else save.mutate(values);
  }
  const changed = releasing
    ? (["status", "hostname", "vmid", "mac", "service", "ownerTeam"] as const).filter((k) => (releasing[k] ?? null) !== (row[k] ?? null))
    : [];
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label={`Edit ${row.address}`}>
      <ConfirmDialog
        open={releasing !== null}
        onOpenChange={(isOpen) => !isOpen && setReleasing(null)}
        title={`Release ${row.address}?`}
        description="The address goes back to the free pool. If a switch binds it, the release waits for a second admin, who sees the bindings it takes away."
        confirmLabel={`Release ${row.address}`}
        isDestructive
        onConfirm={async () => {
          await save.mutateAsync(releasing!);
          setReleasing(null);
        }}
      >
        {changed.map((k) => (
          <ChangeLine key={k} label={k === "ownerTeam" ? "owner" : k} before={String(row[k] ?? "—")} after={String(releasing?.[k] ?? "—")} />
        ))}
      </ConfirmDialog>
      <FormField name="edit-hostname" label="Hostname" defaultValue={row.hostname ?? ""} />
      <FormField name="edit-vmid" label="VMID" type="number" className="w-28" defaultValue={row.vmid ?? ""} />
      <FormField name="edit-mac" label="MAC" className="font-mono" defaultValue={row.mac ?? ""} error={fieldError(save.error, "MAC address")} />
      <FormField name="edit-service" label="Service" defaultValue={row.service ?? ""} />
      <FormField name="edit-owner" label="Owner team" defaultValue={row.ownerTeam ?? ""} />
      <label className="grid gap-1.5 text-sm">
        Status
        <select name="edit-status" defaultValue={row.status} className="border-input h-9 rounded-md border bg-transparent px-2">
          {["planned", "active", "deprecated", "released"].map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" disabled={save.isPending}>
        Save
      </Button>
      <ErrorText error={!fieldError(save.error, "MAC address") ? save.error : null} className="text-sm" />
      {save.data?.status === "applied" && (
        <span className="text-sm" role="status">
          Saved.
        </span>
      )}
      {save.data?.status === "pending" && (
        <span className="text-sm whitespace-pre-line" role="status">
          A switch binds this address: waiting for a second admin on /it/approvals. {save.data.summary}
        </span>
      )}
    </form>
  );
}
