import { webcrypto } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import "reflect-metadata"; // @peculiar/x509 relies on it for its ASN.1 schema registry
import * as x509 from "@peculiar/x509";

/**
 * A local certificate authority for the emulator's HTTPS endpoint. The console trusts exactly this
 * CA (GRAPH_CA_FILE) for Graph and login, so the real Graph client runs over real TLS. The CA is
 * kept under the data directory so its file path stays valid across restarts.
 */
export type EmulatorTls = { caFile: string; caPem: string; certPem: string; keyPem: string };

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 24 * 60 * 60 * 1000;

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export async function loadOrCreateTls(dir: string): Promise<EmulatorTls> {
  const files = {
    ca: path.join(dir, "ca.pem"),
    cert: path.join(dir, "server.pem"),
    key: path.join(dir, "server-key.pem"),
  };
  if (Object.values(files).every((f) => existsSync(f)) && !expiresSoon(readFileSync(files.cert, "utf8"))) {
    return {
      caFile: files.ca,
      caPem: readFileSync(files.ca, "utf8"),
      certPem: readFileSync(files.cert, "utf8"),
      keyPem: readFileSync(files.key, "utf8"),
    };
  }
  const generated = await generateTls();
  mkdirSync(dir, { recursive: true });
  writeFileSync(files.ca, generated.caPem);
  writeFileSync(files.cert, generated.certPem);
  writeFileSync(files.key, generated.keyPem, { mode: 0o600 });
  return { caFile: files.ca, ...generated };
}

function expiresSoon(certPem: string): boolean {
  return new x509.X509Certificate(certPem).notAfter.getTime() - Date.now() < 7 * DAY;
}

async function generateTls() {
  const notBefore = new Date(Date.now() - DAY);
  const caKeys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=TenantAtlas Graph Emulator CA",
    notBefore,
    notAfter: new Date(Date.now() + 3650 * DAY),
    keys: caKeys as CryptoKeyPair,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey as CryptoKey),
    ],
  });
  const serverKeys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const server = await x509.X509CertificateGenerator.create({
    subject: "CN=localhost",
    issuer: ca.subject,
    notBefore,
    notAfter: new Date(Date.now() + 365 * DAY),
    signingKey: caKeys.privateKey as CryptoKey,
    publicKey: serverKeys.publicKey as CryptoKey,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: "dns", value: "localhost" },
        { type: "ip", value: "127.0.0.1" },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", serverKeys.privateKey as CryptoKey));
  return {
    caPem: ca.toString("pem"),
    certPem: server.toString("pem"),
    keyPem: x509.PemConverter.encode(pkcs8, "PRIVATE KEY"),
  };
}
