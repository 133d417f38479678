import { z } from "zod";

/**
 * Every environment variable the console reads, parsed in one place. `npm start` fills the ones a
 * fresh machine lacks (embedded database URL, generated keys, emulator endpoints) before it starts
 * the web server and the worker, so in those processes every required value is present.
 */
const base64Key = z
  .string()
  .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded (openssl rand -base64 32)");

const httpsUrl = z
  .url({ protocol: /^https$/, error: "must be an https:// URL" })
  .transform((v) => v.replace(/\/+$/, ""));

const schema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// connection URL" }),
  ENCRYPTION_KEY: base64Key,
  GRAPH_URL: httpsUrl.default("https://graph.microsoft.com"),
  LOGIN_URL: httpsUrl.default("https://login.microsoftonline.com"),
  /** PEM file of an extra certificate authority to trust for Graph and login (the emulator's CA). */
  GRAPH_CA_FILE: z.string().min(1).optional(),
  GRAPH_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(6),
  GRAPH_RETRY_DELAY_SECONDS: z.coerce.number().min(0).max(180).default(3),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** "Sign in with Microsoft" (delegated Graph token): the console's own app registration. */
  MICROSOFT_CLIENT_ID: z.uuid().optional(),
  MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
  MICROSOFT_TENANT_ID: z.string().min(1).default("organizations"),
  /** OpenID discovery document; defaults to Entra ID's for MICROSOFT_TENANT_ID (the emulator's in the demo). */
  MICROSOFT_WELL_KNOWN: httpsUrl.optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
});

export type Env = z.infer<typeof schema>;

export function graphConfig(e: Env = env()) {
  return {
    graphUrl: e.GRAPH_URL,
    loginUrl: e.LOGIN_URL,
    caFile: e.GRAPH_CA_FILE,
    maxRetries: e.GRAPH_MAX_RETRIES,
    retryDelaySeconds: e.GRAPH_RETRY_DELAY_SECONDS,
  };
}

export function encryptionKey(e: Env = env()): Buffer {
  return Buffer.from(e.ENCRYPTION_KEY, "base64");
}

let cached: Env | undefined;

/** Parsed lazily so that `next build` and tooling can import modules without a full environment. */
export function env(): Env {
  if (!cached) cached = parseEnv(process.env);
  return cached;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}
