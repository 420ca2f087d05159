"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Input } from "@/components/ui/input";

const KIND_LABELS: Record<string, string> = {
  address: "Addresses",
  prefix: "Prefixes",
  mac: "MACs",
  guest: "Proxmox guests",
  tenantos_server: "Tenantos servers",
  switch: "Switches",
  switch_port: "Switch ports",
  vlan: "VLANs",
  hostname: "Hostnames",
  edge_host: "Edge (NPM) hosts",
  organisation: "Organisations",
  licence: "Licences",
  invoice: "Invoices",
};

/** Is the key press meant for a field being typed in (then `/` is just a slash)? */
function isTypingTarget(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
}

/** The top bar's one box: `/` focuses it; Enter on an exact IP or MAC goes to its page, otherwise to the best match. */
export function GlobalSearch() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const [asked, setAsked] = useState("");
  const [isOpen, setIsOpen] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "/" && !e.metaKey && !e.ctrlKey && !e.altKey && !isTypingTarget(e.target)) {
        e.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  // Ask once typing pauses, not on every key.
  useEffect(() => {
    const t = setTimeout(() => setAsked(text.trim()), 150);
    return () => clearTimeout(t);
  }, [text]);

  const answer = useQuery({ ...trpc.addresses.search.queryOptions({ q: asked }), enabled: asked.length >= 2 });
  const results = answer.data?.query === asked ? answer.data.results : [];

  function go(href: string) {
    setIsOpen(false);
    input.current?.blur();
    router.push(href);
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const q = text.trim();
    if (q.length < 2) return;
    // Enter may come before the pause: ask now (the cache answers when it already has it).
    const data = await queryClient.fetchQuery(trpc.addresses.search.queryOptions({ q }));
    const target = data.redirect ?? data.results[0]?.href;
    if (target) go(target);
  }

  const groups = new Map<string, typeof results>();
  for (const r of results) groups.set(r.kind, [...(groups.get(r.kind) ?? []), r]);

  return (
    <form
      role="search"
      onSubmit={onSubmit}
      className="relative min-w-0 flex-1 sm:w-72 sm:flex-none lg:w-96"
      onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setIsOpen(false)}
    >
      <Input
        ref={input}
        type="search"
        name="q"
        aria-label="Search"
        data-testid="global-search"
        placeholder="Search IP, MAC, hostname, VMID, switch port, VLAN…  ( / )"
        value={text}
        autoComplete="off"
        onChange={(e) => {
          setText(e.target.value);
          setIsOpen(true);
        }}
        onFocus={() => setIsOpen(true)}
        onKeyDown={(e) => e.key === "Escape" && (setIsOpen(false), input.current?.blur())}
      />
      {isOpen && asked.length >= 2 && (
        <div
          className="bg-popover text-popover-foreground absolute right-0 top-10 z-50 max-h-[70vh] w-[min(36rem,90vw)] overflow-y-auto rounded-md border p-2 shadow-md"
          data-testid="search-results"
        >
          {answer.isFetching && results.length === 0 && <p className="text-muted-foreground px-2 py-1 text-sm">Searching…</p>}
          {!answer.isFetching && results.length === 0 && <p className="text-muted-foreground px-2 py-1 text-sm">Nothing found for “{asked}”.</p>}
          {[...groups.entries()].map(([kind, list]) => (
            <div key={kind} className="mb-2">
              <p className="text-muted-foreground px-2 text-xs font-medium uppercase">{KIND_LABELS[kind] ?? kind}</p>
              <ul>
                {list.map((r) => (
                  <li key={`${r.href}|${r.label}|${r.detail}`}>
                    <Link href={r.href} onClick={() => setIsOpen(false)} className="hover:bg-accent block rounded px-2 py-1 text-sm">
                      <span className="font-mono">{r.label}</span>
                      {r.detail && <span className="text-muted-foreground ml-2">{r.detail}</span>}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      )}
    </form>
  );
}
