"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type ChangeEvent, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { ErrorText } from "@/components/ui/error-text";
import { ImportPlanView } from "@/components/ipam/import-plan-view";

interface FileText {
  content: string;
  name?: string;
}

function FileField({ id, label, value, onChange }: { id: string; label: string; value: FileText; onChange: (v: FileText) => void }) {
  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const f = e.target.files?.[0];
    if (f) onChange({ content: await f.text(), name: f.name });
  }
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <input type="file" aria-label={`${label} file`} accept=".conf,.md,.txt,text/plain,text/markdown" onChange={onFile} className="text-sm" />
      <Textarea
        id={id}
        value={value.content}
        onChange={(e) => onChange({ content: e.target.value, name: value.name })}
        rows={6}
        className="font-mono text-xs"
        placeholder="or paste it here"
      />
    </div>
  );
}

/** Paste or upload ip-addresses.conf and ALL_VMIDS_ENDPOINTS.md; either alone replaces only itself. */
export function DeclaredImportForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [conf, setConf] = useState<FileText>({ content: "" });
  const [doc, setDoc] = useState<FileText>({ content: "" });
  const plan = useMutation(trpc.inventory.planDeclared.mutationOptions());
  const save = useMutation(trpc.inventory.importDeclared.mutationOptions({ onSuccess: () => router.refresh() }));
  const files = () => ({ conf: conf.content.trim() ? conf : undefined, doc: doc.content.trim() ? doc : undefined });
  // A plan belongs to the exact files it was made for: changing either drops it.
  const edit = (set: (v: FileText) => void) => (v: FileText) => {
    set(v);
    plan.reset();
    save.reset();
  };

  // Step one plans (what IPAM would get); step two imports with that plan's digest.
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    save.reset();
    plan.mutate(files());
  }

  return (
    <form onSubmit={onSubmit}>
      <Card>
        <CardHeader>
          <CardTitle>Import declared inventory</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-2">
          <FileField id="declared-conf" label="ip-addresses.conf" value={conf} onChange={edit(setConf)} />
          <FileField id="declared-doc" label="ALL_VMIDS_ENDPOINTS.md" value={doc} onChange={edit(setDoc)} />
        </CardContent>
        <CardFooter className="flex flex-wrap gap-3 text-sm">
          <Button type="submit" variant="outline" disabled={plan.isPending}>
            Plan import
          </Button>
          {plan.data && !save.data && (
            <Button type="button" disabled={save.isPending} onClick={() => save.mutate({ ...files(), ipamDigest: plan.data.ipam?.digest })}>
              Import
            </Button>
          )}
          <ErrorText error={plan.error ?? save.error} />
          {plan.data && !save.data && !plan.data.ipam && <span role="status">No ip-addresses.conf: only the files are kept, IPAM is not touched.</span>}
          {save.data && (
            <span role="status">
              Imported{save.data.confEntries !== null ? ` ${save.data.confEntries} conf entries` : ""}
              {save.data.docRows !== null ? ` ${save.data.docRows} VMID rows` : ""}.
              {save.data.ipam &&
                ` IPAM: ${save.data.ipam.created} new, ${save.data.ipam.updated} updated, ${save.data.ipam.unchanged} unchanged, ${save.data.ipam.conflicts.length} conflicts.`}
            </span>
          )}
          {save.data?.ipam && save.data.ipam.conflicts.length > 0 && (
            <ul className="text-destructive w-full list-disc pl-5 text-xs" data-testid="import-conflicts">
              {save.data.ipam.conflicts.slice(0, 50).map((c, i) => (
                <li key={i}>
                  {c.line ? `line ${c.line}: ` : ""}
                  {c.reason}
                </li>
              ))}
            </ul>
          )}
          {plan.data?.ipam && !save.data && (
            <div className="w-full">
              <ImportPlanView plan={plan.data.ipam} />
            </div>
          )}
        </CardFooter>
      </Card>
    </form>
  );
}
