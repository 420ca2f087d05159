import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

export function AutomationStatus({
  status,
}: {
  status: { isDoorOpen: boolean; isTenantosConfigured: boolean; isProxmoxConfigured: boolean; isDemo: boolean };
}) {
  const problems = [
    !status.isDoorOpen && "PORT_SECURITY_EVENT_API_BEARER_TOKEN is not set: the event door answers 503 and Tenantos's events are lost.",
    !status.isTenantosConfigured &&
      "Tenantos is not configured (Settings → Connections, or TENANTOS_URL and TENANTOS_API_KEY): events are recorded as skipped.",
    !status.isProxmoxConfigured && "Proxmox is not configured (Settings → Connections): Proxmox node uplinks cannot be computed.",
  ].filter(Boolean);
  if (problems.length === 0) {
    return status.isDemo ? (
      <Alert className="mb-4" data-testid="demo-notice">
        <AlertTitle>Demo lab</AlertTitle>
        <AlertDescription>
          Tenantos, Proxmox and the switches are the lab&apos;s simulators on loopback. Save a real Tenantos connection in Settings to leave the demo.
        </AlertDescription>
      </Alert>
    ) : null;
  }
  return (
    <Alert variant="destructive" className="mb-4" data-testid="automation-warning">
      <AlertTitle>Port-security automation is not fully on</AlertTitle>
      <AlertDescription>
        <ul className="list-disc pl-4">
          {problems.map((p) => (
            <li key={String(p)}>{p}</li>
          ))}
        </ul>
      </AlertDescription>
    </Alert>
  );
}
