import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface LabCertificate {
  key: string;
  cert: string;
  /** `AB:CD:…`, the form a connection's TLS pin is saved in. */
  fingerprint256: string;
}

/**
 * A throw-away self-signed certificate for a lab console, made when the lab starts so no key
 * material lives in the repository. A UDM Pro and NPM's admin port ship exactly such a certificate
 * (edge-apis.md, "The console's certificate is self-signed: pin it"; NPMplus "Admin UI/API on https://host:81, self-signed").
 */
export function createLabCertificate(commonName = "127.0.0.1"): LabCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), "sankofa-lab-tls-"));
  try {
    const keyFile = path.join(dir, "lab.key");
    const certFile = path.join(dir, "lab.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-subj",
        `/CN=${commonName}`,
        "-days",
        "30",
        "-keyout",
        keyFile,
        "-out",
        certFile,
      ],
      { stdio: "pipe" },
    );
    const cert = readFileSync(certFile, "utf8");
    return { key: readFileSync(keyFile, "utf8"), cert, fingerprint256: new X509Certificate(cert).fingerprint256 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
