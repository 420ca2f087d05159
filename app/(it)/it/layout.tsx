import type { ReactNode } from "react";
import { GlobalSearch } from "@/components/shell/global-search";
import { ItShell } from "@/components/shell/it-shell";
import { SessionKeepalive } from "@/components/shell/session-keepalive";
import { UserMenu } from "@/components/shell/user-menu";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { ThemeToggle } from "@/components/theme-toggle";
import { hasAccess } from "@/lib/auth/roles";
import { NAV_ITEMS } from "@/lib/nav";
import { requirePageAccess } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function ItLayout({ children }: { children: ReactNode }) {
  const user = await requirePageAccess("any");
  const items = NAV_ITEMS.filter((i) => hasAccess(user.roles, i.access));
  return (
    <>
      <ItShell
        items={items}
        header={
          // Below 640 px the search shares its own row with the theme and user menus, so nothing scrolls sideways.
          <div className="ml-auto flex w-full min-w-0 items-center gap-3 sm:w-auto">
            {(hasAccess(user.roles, "viewer") || hasAccess(user.roles, "finance")) && <GlobalSearch />}
            <ThemeToggle />
            <UserMenu name={user.name || user.email} roles={user.roles} />
          </div>
        }
      >
        <main className="min-w-0 flex-1 p-3 md:p-6">
          {user.notice && (
            <Alert className="mb-4" data-testid="session-notice">
              <AlertDescription>{user.notice}</AlertDescription>
            </Alert>
          )}
          {user.isBreakGlass && (
            <Alert variant="destructive" className="mb-4" data-testid="break-glass-banner">
              <AlertDescription>
                Signed in with the bootstrap admin, a break-glass account (password only, no second factor). Use it while the IdP is down; sign in through OIDC
                for daily work.
              </AlertDescription>
            </Alert>
          )}
          {children}
        </main>
      </ItShell>
      <SessionKeepalive />
    </>
  );
}
