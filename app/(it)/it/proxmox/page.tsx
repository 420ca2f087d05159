import Link from "next/link";
import { NodeServerMapping } from "@/components/proxmox/node-server-mapping";
import { PortPreviewCard } from "@/components/proxmox/port-preview";
import { PageHeader } from "@/components/shell/page-header";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasAccess } from "@/lib/auth/roles";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Proxmox" };

const gib = (bytes: number) => `${Math.round(bytes / 2 ** 30)} GiB`;

export default async function ProxmoxPage({ searchParams }: { searchParams: Promise<{ server?: string }> }) {
  const user = await requirePageAccess("viewer");
  const sp = await searchParams;
  const api = await getServerCaller();
  const serverId = sp.server && /^\d{1,10}$/.test(sp.server) ? Number(sp.server) : undefined;
  const [overview, preview] = await Promise.all([api.proxmox.overview(), serverId ? api.proxmox.preview({ serverId }) : null]);
  const previewLink = (id: number) => `/it/proxmox?server=${id}`;
  const isAdmin = hasAccess(user.roles, "admin");

  return (
    <>
      <PageHeader
        title="Proxmox"
        description="Nodes and their VMs as the port-security rules read them, and a preview of any node's or dedicated server's push."
      />
      {overview.errors.map((e) => (
        <Alert key={e} variant="destructive" className="mb-4">
          <AlertDescription role="alert">{e}</AlertDescription>
        </Alert>
      ))}
      {preview && (
        <div className="mb-6">
          <PortPreviewCard preview={preview} canPush={isAdmin} />
        </div>
      )}
      <div className="grid gap-6 xl:grid-cols-2">
        {overview.nodes.map((n) => (
          <Card key={n.node} id={`node-${n.node}`} data-testid={`node-${n.node}`}>
            <CardHeader>
              <CardTitle className="flex flex-wrap items-center gap-2">
                {n.node} <Badge variant={n.status === "online" ? "secondary" : "destructive"}>{n.status}</Badge>
                <span className="text-muted-foreground text-sm font-normal">
                  {n.maxcpu} CPU · {gib(n.maxmem)}
                </span>
                <NodeServerMapping
                  node={n.node}
                  serverId={n.serverId}
                  confirmedBy={n.confirmedBy}
                  suggestedServerId={n.suggestedServerId}
                  canEdit={isAdmin}
                  previewHrefBase="/it/proxmox?server="
                />
              </CardTitle>
            </CardHeader>
            <CardContent>
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>VMID</TableHead>
                    <TableHead>Name</TableHead>
                    <TableHead>MAC</TableHead>
                    <TableHead>VLAN</TableHead>
                    <TableHead>IPs</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {n.vms.flatMap((vm) =>
                    vm.nics.map((nic) => (
                      <TableRow key={`${vm.vmid}:${nic.mac}`}>
                        <TableCell>
                          {vm.vmid}
                          {isAdmin && (
                            // The provisioning form on this guest (power, resize, assign IP), dry run first.
                            <Link
                              href={`/it/provisioning?node=${encodeURIComponent(n.node)}&guestType=${n.guestTypes[vm.vmid] ?? "qemu"}&vmid=${vm.vmid}`}
                              className="ml-2 text-xs underline"
                            >
                              actions
                            </Link>
                          )}
                        </TableCell>
                        <TableCell>{vm.name}</TableCell>
                        <TableCell className="font-mono text-xs">{nic.mac}</TableCell>
                        <TableCell>{nic.vlanId ?? "untagged"}</TableCell>
                        <TableCell className="font-mono text-xs">
                          {nic.configIps.join(", ") || (nic.agentIps.length ? `${nic.agentIps.join(", ")} (agent)` : "—")}
                        </TableCell>
                      </TableRow>
                    )),
                  )}
                  {n.vms.length === 0 && <TableEmpty colSpan={5}>No VMs on this node.</TableEmpty>}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        ))}
      </div>
      <h2 className="mt-8 mb-2 text-lg font-semibold">Other Tenantos servers</h2>
      <Table data-testid="dedicated-servers">
        <TableHeader>
          <TableRow>
            <TableHead>Server</TableHead>
            <TableHead>Hostname</TableHead>
            <TableHead>Primary IP</TableHead>
            <TableHead />
          </TableRow>
        </TableHeader>
        <TableBody>
          {overview.dedicated.map((s) => (
            <TableRow key={s.id}>
              <TableCell>
                {s.id} · {s.name}
              </TableCell>
              <TableCell>{s.hostname}</TableCell>
              <TableCell className="font-mono text-xs">{s.primaryIp ?? "—"}</TableCell>
              <TableCell>
                <Link className="underline" href={previewLink(s.id)}>
                  Preview
                </Link>
              </TableCell>
            </TableRow>
          ))}
          {overview.dedicated.length === 0 && <TableEmpty colSpan={4}>No dedicated servers in Tenantos.</TableEmpty>}
        </TableBody>
      </Table>
    </>
  );
}
