"use client";
import { Menu, X } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { buildBreadcrumbs, type NavItem } from "@/lib/nav";
import { cn } from "@/lib/utils";
import { ItNav } from "./it-nav";

/**
 * The console's frame: grouped navigation beside the page from 768 px up; below that (a phone
 * during an outage) the navigation is a panel opened from the top bar, so the page gets the width.
 */
export function ItShell({ items, header, children }: { items: readonly NavItem[]; header: ReactNode; children: ReactNode }) {
  const [isNavOpen, setNavOpen] = useState(false);
  const pathname = usePathname();
  const crumbs = buildBreadcrumbs(pathname, items);
  return (
    <div className="min-h-screen md:grid md:grid-cols-[14rem_minmax(0,1fr)]">
      <aside
        id="it-navigation"
        className={cn(
          "bg-sidebar text-sidebar-foreground flex-col gap-4 overflow-y-auto border-r p-3",
          "md:sticky md:top-0 md:flex md:h-screen",
          isNavOpen ? "fixed inset-y-0 left-0 z-40 flex w-64 shadow-lg" : "hidden",
        )}
      >
        <div className="flex items-center justify-between">
          <Link href="/it" className="px-3 pt-1 text-lg font-semibold tracking-tight" onClick={() => setNavOpen(false)}>
            Sankofa IT
          </Link>
          <Button variant="ghost" size="sm" className="md:hidden" aria-label="Close navigation" onClick={() => setNavOpen(false)}>
            <X aria-hidden />
          </Button>
        </div>
        <ItNav items={items} onNavigate={() => setNavOpen(false)} />
      </aside>
      {isNavOpen && <div className="fixed inset-0 z-30 bg-black/30 md:hidden" aria-hidden onClick={() => setNavOpen(false)} />}
      <div className="flex min-w-0 flex-col">
        <header className="flex min-h-14 flex-wrap items-center gap-3 border-b px-3 py-2 md:px-6">
          <Button
            variant="outline"
            size="sm"
            className="md:hidden"
            aria-label="Open navigation"
            aria-expanded={isNavOpen}
            aria-controls="it-navigation"
            onClick={() => setNavOpen(true)}
          >
            <Menu aria-hidden />
          </Button>
          <nav aria-label="Breadcrumb" className="min-w-0 flex-1 text-sm" data-testid="breadcrumbs">
            <ol className="text-muted-foreground flex flex-wrap items-center gap-1">
              {crumbs.map((c, i) => (
                <li key={`${i}-${c.label}`} className="flex items-center gap-1">
                  {i > 0 && <span aria-hidden>›</span>}
                  {c.href ? (
                    <Link href={c.href} className="hover:text-foreground hover:underline">
                      {c.label}
                    </Link>
                  ) : (
                    <span
                      className={cn("truncate", i === crumbs.length - 1 && "text-foreground font-medium")}
                      aria-current={i === crumbs.length - 1 ? "page" : undefined}
                    >
                      {c.label}
                    </span>
                  )}
                </li>
              ))}
            </ol>
          </nav>
          {header}
        </header>
        {children}
      </div>
    </div>
  );
}
