import type { JunosDialect } from "./dialect";

// EX platforms that run the Enhanced Layer 2 Software (no ethernet-switching-options).
const ELS_MODELS = /^(ex2300|ex3400|ex4100|ex4300|ex4400|ex4600|ex4650|ex9200|ex9250|qfx)/i;
const NON_ELS_MODELS = /^(ex2200|ex3200|ex3300|ex4200|ex4500|ex4550|ex6200|ex8200)/i;

/** The dialect from `show version`, or undefined when the model says nothing (probe the config then). */
export function detectDialectFromVersion(showVersion: string): JunosDialect | undefined {
  const model = /^Model:\s*(\S+)/m.exec(showVersion)?.[1];
  if (!model) return undefined;
  if (ELS_MODELS.test(model)) return "els";
  if (NON_ELS_MODELS.test(model)) return "non-els";
  return undefined;
}
