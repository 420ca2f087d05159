"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";
import { findNavItemForPath, groupNavItems, type NavItem } from "@/lib/nav";

export function ItNav({ items, onNavigate }: { items: readonly NavItem[]; onNavigate?: () => void }) {
  const pathname = usePathname();
  const current = findNavItemForPath(pathname, items);
  return (
    <nav aria-label="Sections" className="flex flex-col gap-3">
      {groupNavItems(items).map(({ group, items: groupItems }) => (
        <div key={group} role="group" aria-labelledby={`nav-group-${group}`} className="flex flex-col gap-0.5">
          <span id={`nav-group-${group}`} className="text-muted-foreground px-3 text-[11px] font-semibold tracking-wide uppercase">
            {group}
          </span>
          {groupItems.map((item) => {
            const isActive = item.href === current?.href;
            return (
              <Link
                key={item.href}
                href={item.href}
                onClick={onNavigate}
                aria-current={isActive ? "page" : undefined}
                className={cn(
                  "hover:bg-accent hover:text-accent-foreground flex items-center justify-between rounded-md px-3 py-1.5 text-sm",
                  isActive && "bg-accent text-accent-foreground font-medium",
                  !item.isBuilt && "text-muted-foreground",
                )}
              >
                {item.label}
                {!item.isBuilt && <span className="text-[10px] tracking-wide uppercase">soon</span>}
              </Link>
            );
          })}
        </div>
      ))}
    </nav>
  );
}
