"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { FormField } from "@/components/switches/form-field";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { PlanView } from "./plan-view";

type JobType = "power" | "resize_disk" | "assign_ip" | "create_ct";
const TYPES: Array<{ value: JobType; label: string }> = [
  { value: "power", label: "Power (start, shutdown, stop, reboot)" },
  { value: "resize_disk", label: "Resize a disk (grow)" },
  { value: "assign_ip", label: "Assign an IP from IPAM" },
  { value: "create_ct", label: "Create a container from a template" },
];

/** The request as the form holds it, in the shape lib/provisioning/jobs.ts validates. */
function readRequest(type: JobType, d: FormData): Record<string, unknown> {
  const s = (k: string) => String(d.get(k) ?? "").trim();
  const n = (k: string) => (s(k) === "" ? undefined : Number(s(k)));
  const guest = { node: s("node"), guestType: s("guestType"), vmid: n("vmid") };
  if (type === "power") {
    const action = s("action");
    return {
      type,
      ...guest,
      action,
      ...(action === "shutdown" ? { timeoutSeconds: n("timeoutSeconds") ?? 60, isForceStopAfterTimeout: d.get("forceStop") === "on" } : {}),
    };
  }
  if (type === "resize_disk") return { type, ...guest, disk: s("disk"), growGiB: n("growGiB") };
  if (type === "assign_ip") return { type, ...guest, prefixId: n("prefixId") };
  return {
    type,
    node: s("node"),
    template: s("template"),
    storage: s("storage"),
    hostname: s("hostname"),
    cores: n("cores"),
    memoryMiB: n("memoryMiB"),
    diskGiB: n("diskGiB"),
    bridge: s("bridge") || "vmbr0",
    prefixId: n("prefixId"),
    ...(s("vmid") ? { vmid: n("vmid") } : {}),
    isStartAfterCreate: d.get("isStartAfterCreate") === "on",
  };
}

/**
 * A new job: the form for its type, then the dry run (the exact Proxmox calls and the guard checks,
 * nothing sent), then the request with a ticket. Changing the form drops the dry run shown.
 */
export function NewJobForm({
  prefixes,
  initial,
}: {
  prefixes: Array<{ id: number; prefix: string; vid: number | null }>;
  initial?: { node?: string; guestType?: string; vmid?: number };
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [type, setType] = useState<JobType>("power");
  const [request, setRequest] = useState<Record<string, unknown> | null>(null);
  const plan = useMutation(trpc.provisioning.plan.mutationOptions());
  const formRef = useRef<HTMLFormElement>(null);
  const [createNode, setCreateNode] = useState(initial?.node ?? "");
  // Placement as /it/hosts suggests it, from the last inventory snapshot and the size asked for.
  const [want, setWant] = useState<{ cpus: number; memGiB: number; diskGiB: number } | null>(null);
  const placements = useQuery({ ...trpc.hosts.capacity.queryOptions({ want: want ?? undefined }), enabled: want !== null });
  function onSuggest() {
    const d = new FormData(formRef.current ?? undefined);
    const n = (k: string, fallback: number) => Number(d.get(k) ?? "") || fallback;
    setWant({ cpus: n("cores", 1), memGiB: n("memoryMiB", 1024) / 1024, diskGiB: n("diskGiB", 8) });
  }
  const ask = useMutation(trpc.provisioning.request.mutationOptions({ onSuccess: () => router.refresh() }));

  function onDryRun(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = readRequest(type, new FormData(e.currentTarget));
    setRequest(r);
    ask.reset();
    plan.mutate({ request: r });
  }
  function onChange() {
    if (plan.data || plan.error) plan.reset();
    setRequest(null);
  }
  function onRequest(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!request) return;
    ask.mutate({ request, ticketId: String(new FormData(e.currentTarget).get("ticketId") ?? "") });
  }

  const guestFields = (
    <>
      <FormField name="node" label="Node" defaultValue={initial?.node} required className="w-40" />
      <div className="grid gap-1.5">
        <Label htmlFor="guestType">Guest type</Label>
        <select
          id="guestType"
          name="guestType"
          defaultValue={initial?.guestType ?? "lxc"}
          className="border-input h-9 rounded-md border bg-transparent px-2 text-sm"
        >
          <option value="lxc">lxc (container)</option>
          <option value="qemu">qemu (VM)</option>
        </select>
      </div>
      <FormField name="vmid" label="VMID" type="number" defaultValue={initial?.vmid} required className="w-28" />
    </>
  );
  const prefixSelect = (
    <div className="grid gap-1.5">
      <Label htmlFor="prefixId">IPAM prefix</Label>
      <select id="prefixId" name="prefixId" className="border-input h-9 rounded-md border bg-transparent px-2 text-sm">
        {prefixes.map((p) => (
          <option key={p.id} value={p.id}>
            {p.prefix}
            {p.vid ? ` (VLAN ${p.vid})` : ""}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <Card>
      <CardHeader>
        <CardTitle>New job</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form ref={formRef} onSubmit={onDryRun} onChange={onChange} className="grid gap-4" aria-label="New provisioning job">
          <div className="grid max-w-md gap-1.5">
            <Label htmlFor="jobType">Job type</Label>
            <select
              id="jobType"
              value={type}
              onChange={(e) => setType(e.target.value as JobType)}
              className="border-input h-9 rounded-md border bg-transparent px-2 text-sm"
            >
              {TYPES.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-wrap items-end gap-3">
            {type === "power" && (
              <>
                {guestFields}
                <div className="grid gap-1.5">
                  <Label htmlFor="action">Action</Label>
                  <select id="action" name="action" className="border-input h-9 rounded-md border bg-transparent px-2 text-sm">
                    {["start", "shutdown", "stop", "reboot"].map((a) => (
                      <option key={a} value={a}>
                        {a}
                      </option>
                    ))}
                  </select>
                </div>
                <FormField name="timeoutSeconds" label="Shutdown timeout (s)" type="number" placeholder="60" className="w-32" />
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="forceStop" /> stop after the timeout
                </label>
              </>
            )}
            {type === "resize_disk" && (
              <>
                {guestFields}
                <FormField name="disk" label="Disk" placeholder="scsi0 or rootfs" required className="w-32 font-mono" />
                <FormField name="growGiB" label="Grow by (GiB)" type="number" min={1} required className="w-28" />
              </>
            )}
            {type === "assign_ip" && (
              <>
                {guestFields}
                {prefixSelect}
              </>
            )}
            {type === "create_ct" && (
              <>
                <FormField name="node" label="Node" value={createNode} onChange={(e) => setCreateNode(e.target.value)} required className="w-40" />
                <Button type="button" variant="ghost" size="sm" onClick={onSuggest}>
                  Suggest a node
                </Button>
                <FormField name="hostname" label="Hostname" required className="w-40" />
                <FormField
                  name="template"
                  label="Template"
                  placeholder="local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
                  required
                  className="w-96 font-mono"
                />
                <FormField name="storage" label="Storage" placeholder="local-lvm" required className="w-32" />
                <FormField name="cores" label="Cores" type="number" defaultValue={1} className="w-20" />
                <FormField name="memoryMiB" label="Memory (MiB)" type="number" defaultValue={1024} className="w-28" />
                <FormField name="diskGiB" label="Disk (GiB)" type="number" defaultValue={8} className="w-24" />
                <FormField name="bridge" label="Bridge" defaultValue="vmbr0" className="w-24" />
                {prefixSelect}
                <FormField name="vmid" label="VMID (empty: next free)" type="number" className="w-36" />
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="isStartAfterCreate" defaultChecked /> start it
                </label>
              </>
            )}
          </div>
          {type === "create_ct" && want && (
            <p className="text-sm" aria-label="Placement suggestions">
              {placements.data?.placements?.length
                ? placements.data.placements.slice(0, 3).map((p) => (
                    <Button key={p.node} type="button" variant="link" size="sm" onClick={() => setCreateNode(p.node)}>
                      {p.node} (RAM {Math.round(p.memRatioAfter * 100)}% after)
                    </Button>
                  ))
                : placements.isFetching
                  ? "Reading capacity…"
                  : "No node has room for this in the last inventory (see /it/hosts)."}
            </p>
          )}
          <div>
            <Button type="submit" variant="outline" disabled={plan.isPending}>
              {plan.isPending ? "Planning…" : "Dry run"}
            </Button>
          </div>
        </form>
        {plan.error && (
          <Alert variant="destructive">
            <AlertDescription role="alert">{plan.error.message}</AlertDescription>
          </Alert>
        )}
        {plan.data && (
          <section aria-label="Dry run" className="grid gap-3">
            <p className="text-muted-foreground text-sm">Dry run: nothing was sent to Proxmox.</p>
            <PlanView plan={plan.data} />
            {plan.data.refusal ? (
              <p className="text-destructive text-sm" role="alert">
                Refused by {plan.data.refusal.rule}: {plan.data.refusal.detail}
              </p>
            ) : (
              <form onSubmit={onRequest} className="flex flex-wrap items-end gap-3" aria-label="Request the job">
                <FormField
                  name="ticketId"
                  label="Ticket"
                  placeholder="OPS-1234"
                  required
                  className="w-40"
                  error={ask.error?.data?.field === "ticketId" ? ask.error.message : undefined}
                />
                <Button type="submit" disabled={ask.isPending}>
                  {ask.isPending ? "Requesting…" : "Request"}
                </Button>
              </form>
            )}
            <ErrorText error={ask.error?.data?.field !== "ticketId" ? ask.error : null} className="text-sm" as="p" />
            {ask.data && (
              <p className="text-sm" role="status">
                Job <Link href={`/it/provisioning/${ask.data.id}`}>#{ask.data.id}</Link>{" "}
                {ask.data.status === "awaiting_approval" ? `waits for a second admin on /it/approvals (approval #${ask.data.approvalId})` : "is queued"}.
              </p>
            )}
          </section>
        )}
      </CardContent>
    </Card>
  );
}
