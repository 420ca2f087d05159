"use client";
import type { FormEvent } from "react";
import { FormField } from "@/components/switches/form-field";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { SettingsUpdateStatus, useSettingsUpdate } from "./settings-update";

export interface ProvisioningSettingsValues {
  provisioningNodes: string;
  provisioningVmidRanges: string;
  provisioningStorages: string;
  provisioningBridges: string;
  provisioningVlans: string;
  provisioningPrefixes: string;
  provisioningJobTypes: string;
  productionNodes: string;
  productionVmidRanges: string;
  provisioningTicketPattern: string;
}

const FIELDS: Array<{ name: keyof ProvisioningSettingsValues; label: string; hint: string }> = [
  { name: "provisioningNodes", label: "Nodes provisioning may touch", hint: "Comma-separated node names. Empty: none." },
  { name: "provisioningVmidRanges", label: "VMIDs provisioning may touch", hint: "Ranges such as 100-199, 250. Empty: none." },
  { name: "provisioningStorages", label: "Storages provisioning may use", hint: "Storage ids (local-lvm, ceph). Empty: none." },
  { name: "provisioningBridges", label: "Bridges provisioning may use", hint: "Bridge names (vmbr0, vmbr1). Empty: none." },
  { name: "provisioningVlans", label: "VLANs provisioning may use", hint: "VLAN ids or ranges (20, 30-39), and untagged. Empty: none." },
  { name: "provisioningPrefixes", label: "IPAM prefixes provisioning may use", hint: "Prefixes (10.0.20.0/24). Empty: none." },
  {
    name: "provisioningJobTypes",
    label: "Job types allowed",
    hint: "power_start, power_shutdown, power_stop, power_reboot, resize_disk, assign_ip, create_ct. Empty: none.",
  },
  { name: "productionNodes", label: "Production nodes", hint: "Any job on these waits for a second admin." },
  { name: "productionVmidRanges", label: "Production VMIDs", hint: "Any job on these waits for a second admin." },
  {
    name: "provisioningTicketPattern",
    label: "Ticket format",
    hint: "A regular expression (RE2 syntax: no lookarounds or backreferences) anchored with ^ and $ (e.g. ^[A-Z]+-\\d+$).",
  },
];

/** What provisioning on Proxmox may touch: every list empty allows nothing; a change waits for a second admin. */
export function ProvisioningSettingsForm({ initial, canEdit }: { initial: ProvisioningSettingsValues; canEdit: boolean }) {
  const saving = useSettingsUpdate();
  const { update, field } = saving;
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    const values = Object.fromEntries(FIELDS.map((f) => [f.name, String(d.get(f.name) ?? "")])) as unknown as ProvisioningSettingsValues;
    update.mutate({ ...values, ticketId: String(d.get("provisioningSettingsTicket") ?? "") });
  }
  return (
    <form onSubmit={onSubmit} className="mt-8">
      <Card className="max-w-2xl">
        <CardHeader>
          <CardTitle>Provisioning on Proxmox</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          {FIELDS.map((f) => (
            <div key={f.name} className="grid gap-1">
              <FormField
                name={f.name}
                label={f.label}
                defaultValue={initial[f.name]}
                disabled={!canEdit}
                error={field === f.name ? update.error?.message : undefined}
              />
              <p className="text-muted-foreground text-xs">{f.hint}</p>
            </div>
          ))}
          {canEdit && <FormField name="provisioningSettingsTicket" label="Change ticket" placeholder="e.g. OPS-1234" className="max-w-48" />}
          <SettingsUpdateStatus {...saving} />
        </CardContent>
        {canEdit && (
          <CardFooter>
            <Button type="submit" disabled={update.isPending}>
              Save provisioning settings
            </Button>
          </CardFooter>
        )}
      </Card>
    </form>
  );
}
