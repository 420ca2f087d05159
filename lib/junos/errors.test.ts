import { describe, expect, it } from "vitest";
import { detectDialectFromVersion } from "./dialect-detect";
import { classifyOutput } from "./errors";

describe("classifyOutput", () => {
  it("accepts quiet and informational answers", () => {
    expect(classifyOutput("set x", "")).toBeNull();
    expect(classifyOutput("commit check", "configuration check succeeds")).toBeNull();
    expect(classifyOutput("delete x", "warning: statement not found")).toBeNull();
  });
  it("names syntax errors, locks (retryable) and commit errors with the switch's words", () => {
    expect(classifyOutput("set foo", "          ^\nsyntax error.")).toMatchObject({ kind: "syntax" });
    const lock = classifyOutput("configure exclusive", "error: configuration database locked by:\n  noc terminal p1 (pid 4242)")!;
    expect(lock).toMatchObject({ kind: "lock", message: "configuration database locked by noc", isRetryable: true });
    expect(classifyOutput("commit check", "error: Duplicate static IP\nerror: configuration check-out failed")).toMatchObject({
      kind: "commit",
      message: "switch refused `commit check`: Duplicate static IP",
      isRetryable: false,
    });
  });
});

describe("detectDialectFromVersion", () => {
  it("knows ELS and non-ELS models", () => {
    expect(detectDialectFromVersion("Hostname: a\nModel: ex3400-48t\nJunos: 21.4R3")).toBe("els");
    expect(detectDialectFromVersion("Model: ex4200-48t")).toBe("non-els");
    expect(detectDialectFromVersion("Model: srx300")).toBeUndefined();
  });
});
