import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

export function AutomationStatus({ status }: { status: { isDoorOpen: boolean; isTenantosConfigured: boolean; isProxmoxConfigured: boolean } }) {
  const problems = [
    !status.isDoorOpen && "PORT_SECURITY_EVENT_API_BEARER_TOKEN is not set: the event door answers 503 and Tenantos's events are lost.",
    !status.isTenantosConfigured && "Tenantos is not configured (TENANTOS_URL, TENANTOS_API_KEY): events are recorded as skipped.",
    !status.isProxmoxConfigured && "Proxmox is not configured: Proxmox node uplinks cannot be computed.",
  ].filter(Boolean);
  if (problems.length === 0) return null;
  return (
    <Alert variant="destructive" className="mb-4" data-testid="automation-warning">
      <AlertTitle>Port-security automation is not fully on</AlertTitle>
      <AlertDescription>
        <ul className="list-disc pl-4">{problems.map((p) => <li key={String(p)}>{p}</li>)}</ul>
      </AlertDescription>
    </Alert>
  );
}
