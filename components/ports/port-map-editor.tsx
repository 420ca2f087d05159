"use client";
import { Time } from "@/components/ui/time";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormField } from "@/components/switches/form-field";
import { fieldError } from "@/components/switches/error-text";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ChangeLine, ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Textarea } from "@/components/ui/textarea";
import { Badge } from "@/components/ui/badge";
import type { PortMapViewRow } from "@/lib/edge/port-map-view";
import type { PortMapFact } from "@/lib/edge/path";

/** A typed row as the editor shows it: what the path reads, and the rest of the record. */
export interface PortMapRow extends PortMapFact {
  switchKind: "juniper" | "unifi" | "other";
  vlanMode: "access" | "trunk" | null;
  nativeVlan: number | null;
  taggedVlans: number[];
  speedMbps: number | null;
  notes: string | null;
}

const FIELDS = [
  "switchName",
  "port",
  "panel",
  "panelPosition",
  "farHost",
  "farNic",
  "farMac",
  "bond",
  "nativeVlan",
  "taggedVlans",
  "speedMbps",
  "notes",
] as const;

/** The form's values as the router takes them: blanks are null, numbers are numbers. */
function readForm(form: HTMLFormElement, prefix: string) {
  const d = new FormData(form);
  const s = (k: string) => String(d.get(`${prefix}${k}`) ?? "").trim();
  const n = (k: string) => (s(k) ? Number(s(k)) : null);
  const mode = s("vlanMode");
  return {
    switchName: s("switchName"),
    switchKind: (s("switchKind") || "other") as PortMapRow["switchKind"],
    port: s("port"),
    panel: s("panel") || null,
    panelPosition: s("panelPosition") || null,
    farHost: s("farHost") || null,
    farNic: s("farNic") || null,
    farMac: s("farMac") || null,
    bond: s("bond") || null,
    vlanMode: mode === "access" || mode === "trunk" ? (mode as "access" | "trunk") : null,
    nativeVlan: n("nativeVlan"),
    taggedVlans: s("taggedVlans")
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map(Number),
    speedMbps: n("speedMbps"),
    notes: s("notes") || null,
  };
}

const LABELS: Record<(typeof FIELDS)[number], string> = {
  switchName: "Switch",
  port: "Port",
  panel: "Patch panel",
  panelPosition: "Panel position",
  farHost: "Far-end host",
  farNic: "Far-end NIC",
  farMac: "Far-end MAC",
  bond: "Bond / LAG",
  nativeVlan: "Native VLAN",
  taggedVlans: "Tagged VLANs",
  speedMbps: "Speed (Mbit/s)",
  notes: "Notes",
};

function EntryFields({ prefix, row, error }: { prefix: string; row?: PortMapRow; error: Parameters<typeof fieldError>[0] }) {
  const value = (f: (typeof FIELDS)[number]) => {
    const v = row?.[f];
    return Array.isArray(v) ? v.join(", ") : (v ?? "");
  };
  return (
    <>
      {FIELDS.map((f) => (
        <FormField key={f} name={`${prefix}${f}`} label={LABELS[f]} defaultValue={value(f)} className="w-40" error={fieldError(error, f)} />
      ))}
      <label className="grid gap-1.5 text-sm">
        Switch kind
        <select name={`${prefix}switchKind`} defaultValue={row?.switchKind ?? "other"} className="border-input h-9 rounded-md border bg-transparent px-2">
          <option value="juniper">Juniper</option>
          <option value="unifi">UniFi</option>
          <option value="other">other</option>
        </select>
      </label>
      <label className="grid gap-1.5 text-sm">
        VLAN mode
        <select name={`${prefix}vlanMode`} defaultValue={row?.vlanMode ?? ""} className="border-input h-9 rounded-md border bg-transparent px-2">
          <option value="">—</option>
          <option value="access">access</option>
          <option value="trunk">trunk</option>
        </select>
      </label>
    </>
  );
}

function ErrorLine({ error }: { error: { message: string; data?: { field?: string | null } | null } | null }) {
  if (!error || (error.data?.field && FIELDS.includes(error.data.field as (typeof FIELDS)[number]))) return null;
  return (
    <span className="text-destructive text-sm" role="alert">
      {error.message}
    </span>
  );
}

function EditRow({ row, onDone }: { row: PortMapRow; onDone: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(trpc.ports.updateEntry.mutationOptions({ onSuccess: () => (onDone(), router.refresh()) }));
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    save.mutate({ id: row.id, ...readForm(e.currentTarget, "edit-") });
  };
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3 py-2" aria-label={`Edit ${row.switchName} ${row.port}`}>
      <EntryFields prefix="edit-" row={row} error={save.error} />
      <Button type="submit" disabled={save.isPending}>
        Save
      </Button>
      <Button type="button" variant="ghost" onClick={onDone}>
        Cancel
      </Button>
      <ErrorLine error={save.error} />
    </form>
  );
}

export function CollectedCell({ row }: { row: PortMapViewRow }) {
  const c = row.collected;
  if (!c) return <span className="text-muted-foreground text-xs">not collected</span>;
  return (
    <span className="grid gap-0.5 text-xs">
      <span>
        {c.name} · {c.isUp ? `up${c.speedMbps ? ` ${c.speedMbps} Mbit/s` : ""}` : "down"}
        {c.isUplink ? " · uplink" : ""}
        {c.lag ? ` · ${c.lag}` : ""}
      </span>
      {c.lldp && <span className="font-mono">LLDP {c.lldp}</span>}
      <span className="text-muted-foreground">
        {c.freshness.source === "junos-lldp" ? "Junos LLDP" : "UniFi"} · <Time value={c.freshness.collectedAt} fallback="never" />{" "}
        {c.freshness.isStale && <Badge variant="warning">stale</Badge>}
      </span>
      {row.disagreements.map((d) => (
        <Badge key={d} variant="warning" className="whitespace-normal">
          {d}
        </Badge>
      ))}
    </span>
  );
}

/** A typed row's edit and delete, for the physical map table's last cell; editing opens the form in place. */
export function PortMapRowActions({ row: r }: { row: PortMapRow }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [isEditing, setIsEditing] = useState(false);
  const remove = useMutation(trpc.ports.deleteEntry.mutationOptions({ onSuccess: () => router.refresh() }));
  if (isEditing) return <EditRow row={r} onDone={() => setIsEditing(false)} />;
  return (
    <span className="whitespace-nowrap">
      <Button size="sm" variant="outline" onClick={() => setIsEditing(true)} aria-label={`Edit ${r.switchName} ${r.port}`}>
        Edit
      </Button>{" "}
      <ConfirmDialog
        trigger={
          <Button size="sm" variant="ghost" aria-label={`Delete ${r.switchName} ${r.port}`}>
            Delete
          </Button>
        }
        title={`Delete the port-map row of ${r.switchName} ${r.port}?`}
        description="Only the documented row goes; the switch is not touched."
        confirmLabel={`Delete ${r.switchName} ${r.port}`}
        isDestructive
        onConfirm={() => remove.mutateAsync({ id: r.id })}
      >
        <ChangeLine label="far end" before={[r.farHost, r.farNic].filter(Boolean).join(" ") || "—"} after="forgotten" />
        {r.panel && <ChangeLine label="patch panel" before={`${r.panel} / ${r.panelPosition}`} after="forgotten" />}
        {r.notes && <ChangeLine label="notes" before={r.notes} after="forgotten" />}
      </ConfirmDialog>
      {remove.error && (
        <span className="text-destructive block text-sm whitespace-normal" role="alert">
          {remove.error.message}
        </span>
      )}
    </span>
  );
}

/** Who changed a typed row and when. */
export function ChangedCell({ row }: { row: PortMapRow }) {
  return (
    <span className="text-muted-foreground text-xs">
      {row.updatedBy}, <Time value={row.updatedAt} />
    </span>
  );
}

/** The exports of the whole map (never one page of it), and for admins the add and import forms. */
export function PortMapEditor({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.ports.createEntry.mutationOptions({ onSuccess: () => router.refresh() }));
  const onCreate = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    create.mutate(readForm(e.currentTarget, "new-"));
  };
  return (
    <div className="grid gap-4">
      <p className="text-sm">
        Export:{" "}
        <a className="underline" href="/api/ports/export/port-map" download>
          port map CSV
        </a>{" "}
        ·{" "}
        <a className="underline" href="/api/ports/export/netbox-interfaces" download>
          NetBox interfaces
        </a>{" "}
        ·{" "}
        <a className="underline" href="/api/ports/export/netbox-cables" download>
          NetBox cables
        </a>
      </p>
      {canEdit && (
        <>
          <form onSubmit={onCreate} className="flex flex-wrap items-end gap-3" aria-label="Add port">
            <EntryFields prefix="new-" error={create.error} />
            <Button type="submit" disabled={create.isPending}>
              Add port
            </Button>
            <ErrorLine error={create.error} />
            {create.data && (
              <span className="text-sm" role="status">
                Added {create.data.switchName} {create.data.port}.
              </span>
            )}
          </form>
          <PortMapImportForm />
        </>
      )}
    </div>
  );
}

function PortMapImportForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [format, setFormat] = useState<"csv" | "netbox">("csv");
  const [first, setFirst] = useState("");
  const [cables, setCables] = useState("");
  const run = useMutation(trpc.ports.importMap.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <form
      aria-label="Import port map"
      className="grid gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        run.mutate(format === "csv" ? { format, csv: first } : { format, interfacesCsv: first, cablesCsv: cables });
      }}
    >
      <label className="flex items-center gap-2 text-sm">
        Import
        <select
          value={format}
          onChange={(e) => setFormat(e.target.value as typeof format)}
          className="border-input h-9 rounded-md border bg-transparent px-2"
          aria-label="Import format"
        >
          <option value="csv">port map CSV</option>
          <option value="netbox">NetBox interfaces + cables CSV</option>
        </select>
      </label>
      <Textarea
        value={first}
        onChange={(e) => setFirst(e.target.value)}
        rows={4}
        className="font-mono text-xs"
        aria-label={format === "csv" ? "Port map CSV text" : "NetBox interfaces CSV text"}
      />
      {format === "netbox" && (
        <Textarea value={cables} onChange={(e) => setCables(e.target.value)} rows={4} className="font-mono text-xs" aria-label="NetBox cables CSV text" />
      )}
      <div className="flex items-center gap-3 text-sm">
        <Button type="submit" variant="outline" disabled={run.isPending || !first.trim()}>
          Import
        </Button>
        {run.error && (
          <span className="text-destructive" role="alert">
            {run.error.message}
          </span>
        )}
        {run.data && (
          <span role="status">
            Imported: {run.data.created} new, {run.data.updated} updated.
          </span>
        )}
      </div>
    </form>
  );
}
