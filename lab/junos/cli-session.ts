import { tokenizeJunosLine } from "@/lib/junos/tokens";
import { cloneTree, deleteStatement, renderCompare, renderDisplaySet, renderHierarchy, setStatement } from "./config-tree";
import { renderLacpInterfaces, renderLldpNeighbors } from "./links";
import { findSyntaxError } from "./syntax";
import type { LabSwitchState } from "./switch-state";

export interface Terminal {
  write(text: string): void;
  close(): void;
}

let nextSessionId = 1;

/** One interactive CLI session on a lab switch: operational and configuration mode, as over SSH. */
export class LabCliSession {
  readonly id = nextSessionId++;
  private mode: "operational" | "configuration" = "operational";
  private isExclusive = false;
  private screenLength = 24;
  private buffer = "";
  private commands = 0;
  private pendingPages: string[] | undefined;
  private busy: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly sw: LabSwitchState,
    private readonly user: string,
    private readonly term: Terminal,
  ) {
    sw.sessionsOpened++;
    sw.openSessions++;
    sw.maxConcurrentSessions = Math.max(sw.maxConcurrentSessions, sw.openSessions);
    term.write(`--- JUNOS lab ${sw.dialect === "els" ? "21.4R3.15" : "12.3R12.4"} built 2026-01-01\n`);
    this.prompt();
  }

  private get promptText(): string {
    return `${this.user}@${this.sw.name}${this.mode === "operational" ? ">" : "#"} `;
  }

  private prompt(): void {
    if (this.mode === "configuration") this.term.write("\n[edit]\n");
    this.term.write(this.promptText);
  }

  /** Bytes from the client. Lines run one at a time, in order, even when a commit is slow. */
  input(data: string): void {
    if (this.pendingPages) {
      this.answerPager(data);
      return;
    }
    this.buffer += data;
    let nl: number;
    while ((nl = this.buffer.search(/[\r\n]/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1).replace(/^\n/, "");
      this.busy = this.busy.then(() => this.run(line));
    }
  }

  private answerPager(key: string): void {
    const pages = this.pendingPages!;
    if (key.startsWith("q")) {
      this.pendingPages = undefined;
      this.term.write("\n");
      this.prompt();
      return;
    }
    this.writePaged(pages);
  }

  private writePaged(lines: string[]): void {
    if (this.screenLength === 0 || lines.length <= this.screenLength) {
      this.pendingPages = undefined;
      if (lines.length) this.term.write(`${lines.join("\n")}\n`);
      this.prompt();
      return;
    }
    this.term.write(`${lines.slice(0, this.screenLength).join("\n")}\n---(more)---`);
    this.pendingPages = lines.slice(this.screenLength);
  }

  private async run(line: string): Promise<void> {
    if (this.closed) return;
    this.term.write(`${line}\n`);
    const trimmed = line.trim();
    if (trimmed === "") return this.prompt();
    this.commands++;
    const drop = this.sw.faults.dropAt;
    const isDropHere = drop !== undefined && trimmed.startsWith(drop.command);
    if (isDropHere) {
      // One dropped session per count: the fault clears itself, as a flapping link recovers.
      const left = (drop.times ?? 1) - 1;
      this.sw.faults = { ...this.sw.faults, dropAt: left > 0 ? { ...drop, times: left } : undefined };
      if (drop.phase === "before") return this.end();
    }
    const isStall = this.sw.faults.stallAfter !== undefined && trimmed.startsWith(this.sw.faults.stallAfter);
    if (isStall) this.sw.faults = { ...this.sw.faults, stallAfter: undefined };
    const output = await this.execute(trimmed);
    const answerAfter = this.sw.faults.answerAfter;
    if (answerAfter && trimmed.startsWith(answerAfter.command)) {
      this.sw.faults = { ...this.sw.faults, answerAfter: undefined };
      await answerAfter.wait();
    }
    if (this.closed) return;
    if (isDropHere) return this.end();
    if (isStall) {
      this.sw.stalledCommands.push(trimmed);
      return;
    }
    if (this.sw.faults.dropAfterCommand !== undefined && this.commands >= this.sw.faults.dropAfterCommand) {
      this.term.write(output.length ? `${output.join("\n")}\n` : "");
      this.end();
      return;
    }
    this.writePaged(output);
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.leaveConfiguration();
    this.sw.openSessions--;
    this.term.close();
  }

  private leaveConfiguration(): void {
    if (this.mode !== "configuration") return;
    if (this.isExclusive) {
      // Exclusive mode discards uncommitted changes on exit, and frees the database.
      this.sw.candidate = cloneTree(this.sw.active);
      this.sw.lockHolder = undefined;
    }
    this.mode = "operational";
    this.isExclusive = false;
  }

  private async execute(cmd: string): Promise<string[]> {
    const [command, ...pipes] = cmd.split("|").map((s) => s.trim());
    const words = tokenizeJunosLine(command!);
    const displaySet = pipes.includes("display set");
    return this.mode === "operational" ? this.operational(words, displaySet) : this.configuration(words, displaySet, cmd);
  }

  private operational(w: string[], displaySet: boolean): string[] {
    const sw = this.sw;
    const said = Object.entries(sw.faults.commandOutput ?? {}).find(([prefix]) => w.join(" ").startsWith(prefix));
    if (said) return said[1];
    if (w[0] === "set" && w[1] === "cli" && w[2] === "screen-length") {
      this.screenLength = Number(w[3]);
      return [`Screen length set to ${w[3]}`];
    }
    if (w[0] === "set" && w[1] === "cli") return [];
    if (w[0] === "show" && w[1] === "version") {
      return [
        `Hostname: ${sw.name}`,
        `Model: ${sw.dialect === "els" ? "ex3400-48t" : "ex4200-48t"}`,
        `Junos: ${sw.dialect === "els" ? "21.4R3.15" : "12.3R12.4"}`,
      ];
    }
    if (w[0] === "show" && w[1] === "configuration") {
      // Junos stamps the last commit on top of every configuration it shows.
      const last = sw.commits.at(-1);
      const stamp = last ? [`## Last commit: ${last.at.toISOString().replace("T", " ").slice(0, 19)} UTC by ${last.user}`] : [];
      return [...stamp, ...(displaySet ? renderDisplaySet(sw.active) : renderHierarchy(sw.active).map((l) => l.slice(1)))];
    }
    if (w[0] === "show" && w[1] === "system" && w[2] === "commit") return sw.renderCommitHistory();
    if (w[0] === "show" && w[1] === "lldp" && w[2] === "neighbors") return renderLldpNeighbors(sw.links, sw.dialect);
    if (w[0] === "show" && w[1] === "lacp" && w[2] === "interfaces") return renderLacpInterfaces(sw.links);
    if (w[0] === "configure") return this.enterConfiguration(w[1]);
    if (w[0] === "exit" || w[0] === "quit") {
      this.end();
      return [];
    }
    return ["                                  ^", `unknown command.`];
  }

  private enterConfiguration(kind: string | undefined): string[] {
    const sw = this.sw;
    if (kind === "exclusive") {
      const holder = sw.faults.lockHeldBy ?? (sw.lockHolder && sw.lockHolder.sessionId !== this.id ? sw.lockHolder.user : undefined);
      if (holder)
        return ["error: configuration database locked by:", `  ${holder} terminal p1 (pid 4242) on since 2026-11-22 09:00:00 UTC`, "      exclusive [edit]"];
      sw.lockHolder = { sessionId: this.id, user: this.user };
      this.isExclusive = true;
    }
    for (const stmt of sw.faults.candidateLeftovers ?? []) setStatement(sw.candidate, tokenizeJunosLine(stmt).slice(1));
    this.mode = "configuration";
    // Junos warns whoever enters configuration while a confirmed commit waits for its confirmation.
    const minutes = sw.minutesUntilRollback();
    const pending = minutes === undefined ? [] : [`# commit confirmed will be rolled back in ${minutes} minutes`];
    return [...(kind === "exclusive" ? ["warning: uncommitted changes will be discarded on exit"] : []), "Entering configuration mode", ...pending];
  }

  private async configuration(w: string[], displaySet: boolean, raw: string): Promise<string[]> {
    const sw = this.sw;
    switch (w[0]) {
      case "set":
      case "delete": {
        const stmt = w.slice(1);
        const bad = findSyntaxError(stmt, sw.dialect);
        if (bad >= 0) return [`${" ".repeat(this.promptText.length + raw.indexOf(stmt[bad] ?? ""))}^`, "syntax error."];
        if (w[0] === "set") setStatement(sw.candidate, stmt);
        else if (!deleteStatement(sw.candidate, stmt)) return ["warning: statement not found"];
        return [];
      }
      case "show":
        if (raw.replace(/\s+/g, "") === "show|compare") return renderCompare(sw.active, sw.candidate).split("\n").filter(Boolean);
        return displaySet ? renderDisplaySet(sw.candidate) : renderHierarchy(sw.candidate).map((l) => l.slice(1));
      case "run":
        return this.operational(w.slice(1), displaySet);
      case "rollback":
        // Junos: `rollback` alone is `rollback 0`; a number past the history is refused.
        return sw.loadRollback(Number(w[1] ?? 0)) ? ["load complete"] : ["error: rollback file not found"];
      case "commit":
        return this.commit(w);
      case "exit":
      case "quit":
        this.leaveConfiguration();
        return ["Exiting configuration mode"];
      case "top":
        return [];
      default:
        return ["syntax error."];
    }
  }

  private async commit(w: string[]): Promise<string[]> {
    const sw = this.sw;
    await new Promise((r) => setTimeout(r, sw.faults.commitLatencyMs ?? 0));
    if (sw.faults.commitError) return [`error: ${sw.faults.commitError}`, "error: configuration check-out failed"];
    const undefinedVlans = sw.findUndefinedBindingVlans();
    if (undefinedVlans.length) return [...undefinedVlans, "error: configuration check-out failed"];
    const commentAt = w.indexOf("comment");
    const comment = commentAt >= 0 ? w[commentAt + 1] : undefined;
    if (w[1] === "check") {
      sw.confirm();
      return ["configuration check succeeds"];
    }
    if (w[1] === "confirmed") {
      const minutes = Number(w[2] ?? 10);
      sw.commit(this.user, comment, minutes);
      return ["configuration check succeeds", `commit confirmed will be automatically rolled back in ${minutes} minutes unless confirmed`, "commit complete"];
    }
    sw.commit(this.user, comment);
    return ["commit complete"];
  }
}
