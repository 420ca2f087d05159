import { Time } from "@/components/ui/time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { SignInOverview } from "@/server/services/platform/sessions";

/** How people get in: the break-glass account is named as such, with when it was last used. */
export function SignInCard({ overview }: { overview: SignInOverview }) {
  const { breakGlass } = overview;
  return (
    <Card className="mt-4" data-testid="sign-in-card">
      <CardHeader>
        <CardTitle>Sign-in</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-2 text-sm">
        <div className="flex flex-wrap items-center gap-2" data-testid="break-glass">
          {breakGlass.isEnabled ? (
            <>
              <Badge variant="warning">break-glass</Badge>
              <span>
                Bootstrap admin <code className="font-mono">{breakGlass.email}</code> is enabled (password only). Last sign-in:{" "}
                <Time value={breakGlass.lastSignInAt} precision="minute" />. Unset ADMIN_PASSWORD once OIDC works, or keep it sealed for IdP outages.
              </span>
            </>
          ) : (
            <span className="text-muted-foreground">No break-glass account (ADMIN_PASSWORD is not set).</span>
          )}
        </div>
        <div>
          {overview.isOidcConfigured
            ? `OIDC sign-in is on; admin access ${overview.isAdminMfaRequired ? "requires a second factor" : "does not require a second factor (OIDC_ADMIN_MFA=off)"}.`
            : "OIDC is not configured."}{" "}
          {overview.activeSessions} session{overview.activeSessions === 1 ? "" : "s"} open.
        </div>
      </CardContent>
    </Card>
  );
}
