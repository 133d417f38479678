import { z } from "zod";

/**
 * Every environment variable the console's processes read, parsed in one place: the web server and
 * the worker (`env()`), `npm start` / `npm run dev` (`startEnv()`) and `npm run emulator`
 * (`emulatorEnv()`). Only tooling (tests, Playwright, benchmarks, drizzle-kit) reads its own.
 * `npm start` fills the ones a fresh machine lacks (embedded database URL, generated keys, emulator
 * endpoints) before it starts the web server and the worker, so in those processes every required
 * value is present.
 */
const base64Key = z
  .string()
  .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded (openssl rand -base64 32)");

const httpsUrl = z
  .url({ protocol: /^https$/, error: "must be an https:// URL" })
  .transform((v) => v.replace(/\/+$/, ""));

const databaseUrl = z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// connection URL" });
/** Seals the session cookie (next-auth reads it too) and signs the console's own auth cookies. */
const nextauthSecret = z.string().min(1);
/** The console's public URL; an https:// one makes the auth cookies secure. */
const nextauthUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });
const microsoftClientId = z.uuid();
const port = z.coerce.number().int().min(0).max(65535);
const dataDir = z.string().min(1).default(".data");
const emulatorSeed = z.coerce.number().int().default(1);
/** 0: any free port. */
const emulatorPort = port.default(0);
/**
 * On SIGTERM/SIGINT a worker stops fetching, lets its jobs in flight finish for this long, then
 * hands the rest back without spending an attempt. 20 s leaves the hand-back room inside a
 * 30 s stop timeout (Kubernetes' default terminationGracePeriodSeconds, systemd's 90 s).
 */
const workerDrainSeconds = z.coerce.number().int().min(0).max(3600).default(20);

/** The web server and the worker. */
const schema = z.object({
  DATABASE_URL: databaseUrl,
  ENCRYPTION_KEY: base64Key,
  NEXTAUTH_SECRET: nextauthSecret.optional(),
  NEXTAUTH_URL: nextauthUrl.optional(),
  GRAPH_URL: httpsUrl.default("https://graph.microsoft.com"),
  LOGIN_URL: httpsUrl.default("https://login.microsoftonline.com"),
  /** PEM file of an extra certificate authority to trust for Graph and login (the emulator's CA). */
  GRAPH_CA_FILE: z.string().min(1).optional(),
  GRAPH_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(6),
  GRAPH_RETRY_DELAY_SECONDS: z.coerce.number().min(0).max(180).default(3),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** Longest a single SQL statement may run before PostgreSQL cancels it. */
  DB_STATEMENT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** "Sign in with Microsoft" (delegated Graph token): the console's own app registration. */
  MICROSOFT_CLIENT_ID: microsoftClientId.optional(),
  MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
  MICROSOFT_TENANT_ID: z.string().min(1).default("organizations"),
  /** OpenID discovery document; defaults to Entra ID's for MICROSOFT_TENANT_ID (the emulator's in the demo). */
  MICROSOFT_WELL_KNOWN: httpsUrl.optional(),
  /** Jobs one worker process runs at once, across every operation type; its pools are sized from it. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /**
   * Entra tenant ids (comma-separated) whose people may create a console account by signing in with
   * Microsoft. Anyone else needs an existing, linked account.
   */
  ALLOWED_ENTRA_TENANT_IDS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((id) => id.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.uuid({ error: "must be Entra tenant ids (GUIDs), comma-separated" }))),
  /** Reverse proxies in front of the web servers that append to X-Forwarded-For (sign-in limits per address). */
  TRUSTED_PROXY_COUNT: z.coerce.number().int().min(0).max(10).default(0),

  WORKER_DRAIN_SECONDS: workerDrainSeconds,

  /** Bearer token a Prometheus scraper sends to /api/metrics; unset, the endpoint does not exist (404). */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters (openssl rand -hex 24)").optional(),

  /** When the daily retention run fires (cron, UTC); workers share one schedule through pg-boss. */
  PRUNE_CRON: z.string().trim().min(1).default("30 3 * * *"),
  /** When the daily `retention.apply` run of every tenant with a backup retention policy fires (cron, UTC). */
  BACKUP_RETENTION_CRON: z.string().trim().min(1).default("0 4 * * *"),
  /** Completed runs are kept this many days (restores and runs a backup refers to are always kept). */
  RETAIN_RUNS_DAYS: z.coerce.number().int().min(1).default(90),
  /** Read notifications are kept this many days. */
  RETAIN_READ_NOTIFICATIONS_DAYS: z.coerce.number().int().min(1).default(30),
  /** Every notification, read or not, is kept this many days. */
  RETAIN_NOTIFICATIONS_DAYS: z.coerce.number().int().min(1).default(90),
  /** Versions kept per policy (the newest); older ones go unless a backup holds their content. */
  RETAIN_POLICY_VERSIONS: z.coerce.number().int().min(1).default(50),
  /** pg-boss deletes finished jobs after this many days (its own batched retention). */
  RETAIN_QUEUE_JOBS_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** Tries per alert delivery before it is given up as failed (lib/alerts/deliver.ts). */
  ALERT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /** Wait before an alert's second try; doubled for each further one, at most an hour. */
  ALERT_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** How long one delivery may take, connect to last byte; a slow receiver is then a failed try. */
  ALERT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(10),
});

/**
 * `npm start` and `npm run dev`, before the web server and worker exist. An unset value here means
 * "provide one": an embedded database, a generated key, the emulator.
 */
const startSchema = z.object({
  PORT: port.min(1).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl.optional(),
  ENCRYPTION_KEY: base64Key.optional(),
  NEXTAUTH_SECRET: nextauthSecret.optional(),
  NEXTAUTH_URL: nextauthUrl.optional(),
  GRAPH_URL: httpsUrl.optional(),
  MICROSOFT_CLIENT_ID: microsoftClientId.optional(),
  ALLOWED_ENTRA_TENANT_IDS: z.string().optional(),
  /** The demo operator's password at first seed. */
  DEMO_PASSWORD: z.string().min(1).optional(),
  /**
   * Seed (and print) the demo operator: unset, only into the embedded database, never into one the
   * user supplied with DATABASE_URL, where a known account would be a way in.
   */
  SEED_DEMO: z
    .enum(["1", "0", "true", "false"])
    .transform((v) => v === "1" || v === "true")
    .optional(),
  EMULATOR_SEED: emulatorSeed,
  EMULATOR_PORT: emulatorPort,
  /** Read here too: `npm start` waits that long (plus the hand-back) for its worker to stop. */
  WORKER_DRAIN_SECONDS: workerDrainSeconds,
});

/** `npm run emulator`: the emulator alone (the benchmarks size its data with the counts). */
const emulatorSchema = z.object({
  DATA_DIR: dataDir,
  EMULATOR_SEED: emulatorSeed,
  EMULATOR_PORT: emulatorPort,
  EMULATOR_TENANTS: z.coerce.number().int().min(1).optional(),
  EMULATOR_GROUPS: z.coerce.number().int().min(0).optional(),
  EMULATOR_POLICIES: z.coerce.number().int().min(0).optional(),
});

export type Env = z.infer<typeof schema>;

/** Least severe log line a server process writes (pino's levels); read alone so any module may log. */
const logLevelSchema = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info");

export function logLevel(source: Source = process.env): z.infer<typeof logLevelSchema> {
  return parse(z.object({ LOG_LEVEL: logLevelSchema }), source).LOG_LEVEL;
}

/**
 * When pg-boss gives up on a job whose worker went silent (killed, machine lost), read alone like
 * LOG_LEVEL because every process that opens a queue needs it. A failover takes at most heartbeat +
 * one supervision pass. The defaults leave room for a busy event loop; tests shorten them.
 */
const queueTimingSchema = z.object({
  /** A job without its worker's heartbeat for this long is failed (and retried). pg-boss's floor is 10. */
  JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).max(3600).default(20),
  /** How often a worker's pg-boss looks for jobs whose heartbeat stopped (and expired ones). */
  JOB_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
  /**
   * How often a worker's pg-boss checks the schedules for a due firing (its cron pass; at most one
   * instance's pass counts). A firing comes this late at most. pg-boss allows 1–45.
   */
  SCHEDULE_CHECK_SECONDS: z.coerce.number().int().min(1).max(45).default(30),
});

export function queueTiming(source: Source = process.env) {
  const parsed = parse(queueTimingSchema, source);
  return {
    heartbeatSeconds: parsed.JOB_HEARTBEAT_SECONDS,
    superviseSeconds: parsed.JOB_SUPERVISE_SECONDS,
    scheduleCheckSeconds: parsed.SCHEDULE_CHECK_SECONDS,
  };
}

export function graphConfig(e: Env = env()) {
  return {
    graphUrl: e.GRAPH_URL,
    loginUrl: e.LOGIN_URL,
    caFile: e.GRAPH_CA_FILE,
    maxRetries: e.GRAPH_MAX_RETRIES,
    retryDelaySeconds: e.GRAPH_RETRY_DELAY_SECONDS,
  };
}

/** What the daily `maintenance.prune` run applies, and when it fires. */
export function maintenanceConfig(e: Env = env()) {
  return {
    cron: e.PRUNE_CRON,
    queueJobsDays: e.RETAIN_QUEUE_JOBS_DAYS,
    retention: {
      runDays: e.RETAIN_RUNS_DAYS,
      readNotificationDays: e.RETAIN_READ_NOTIFICATIONS_DAYS,
      notificationDays: e.RETAIN_NOTIFICATIONS_DAYS,
      policyVersionsKept: e.RETAIN_POLICY_VERSIONS,
    },
  };
}

/** How alert deliveries are tried (workers). */
export function alertDeliverySettings(e: Env = env()) {
  return {
    maxAttempts: e.ALERT_MAX_ATTEMPTS,
    retrySeconds: e.ALERT_RETRY_SECONDS,
    timeoutSeconds: e.ALERT_TIMEOUT_SECONDS,
  };
}

/** The console's public address (NEXTAUTH_URL), for links in alerts; read alone, as workers may lack the rest. */
/**
 * Whether alert channels may post to this machine (http://localhost…, for trying receivers
 * locally). Off in production unless ALERT_ALLOW_LOCALHOST=true: an owner of one tenant must not
 * get a way to POST to the console host's own services. Read alone, like consoleUrl.
 */
export function alertsMayReachLocalhost(source: Source = process.env): boolean {
  const { ALERT_ALLOW_LOCALHOST: allowed, NODE_ENV } = parse(
    z.object({ ALERT_ALLOW_LOCALHOST: z.enum(["true", "false"]).optional(), NODE_ENV: z.string().optional() }),
    source,
  );
  return allowed ? allowed === "true" : NODE_ENV !== "production";
}

export function consoleUrl(source: Source = process.env): string | undefined {
  return parse(z.object({ NEXTAUTH_URL: nextauthUrl.optional() }), source).NEXTAUTH_URL?.replace(/\/$/, "");
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

export type StartEnv = z.infer<typeof startSchema>;
let cachedStart: StartEnv | undefined;

export function startEnv(): StartEnv {
  if (!cachedStart) cachedStart = parseStartEnv(process.env);
  return cachedStart;
}

export function emulatorEnv() {
  return parseEmulatorEnv(process.env);
}

type Source = Record<string, string | undefined>;

export function parseEnv(source: Source): Env {
  return parse(schema, source);
}

export function parseStartEnv(source: Source): StartEnv {
  return parse(startSchema, source);
}

export function parseEmulatorEnv(source: Source) {
  return parse(emulatorSchema, source);
}

function parse<T extends z.ZodType>(target: T, source: Source): z.output<T> {
  const result = target.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}
