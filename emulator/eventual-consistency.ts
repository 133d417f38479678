import type { Context, Hono } from "hono";
import { z } from "zod";
import { type EmulatorEnv, type EmulatorState, emulatorNow } from "./app";
import { graphError } from "./graph-errors";
import { POLICY_FAMILIES } from "./intune-collections";

/**
 * Replication delays a real tenant shows right after a write, off by default and switched per
 * tenant by tests, since Microsoft publishes no number for either:
 *
 * - Read-after-create: for a while after a policy is created, GET of it (and of its sub-resources)
 *   and `POST …/{id}/assign` answer 404 as if it did not exist. IntuneManagement polls a just-
 *   imported object for up to two minutes before using it (Extensions/EndpointManager.psm1,
 *   Start-PostImportComplianceScripts); Entra ID documents the same for directory objects.
 * - A group just created in Entra ID is not yet known to Intune: `/assign` naming it is refused
 *   with a 400 (reported by Microsoft365DSC PR 7167 and EasyPIM issue 22: 5 to 30 seconds and more).
 *   The wording Intune uses for this case is unsourced; the message below is the one Intune was
 *   seen to give for a group id it does not accept (Kvikku/IntuneAssignments issue 16).
 */
export const consistencySettingsSchema = z
  .object({
    /** Seconds a new policy stays invisible (404) to GET and /assign. */
    policyVisibleAfterSeconds: z.number().min(0).max(3600),
    /** Seconds after a group's createdDateTime during which /assign refuses it. */
    groupReplicationSeconds: z.number().min(0).max(3600),
  })
  .strict();
export type ConsistencySettings = z.infer<typeof consistencySettingsSchema>;

const IMMEDIATE: ConsistencySettings = { policyVisibleAfterSeconds: 0, groupReplicationSeconds: 0 };

export class EventualConsistency {
  #settings = new Map<string, ConsistencySettings>();
  /** When each policy was created (emulator clock, ms), by policy id. */
  #createdAt = new Map<string, number>();

  settingsOf(tenantId: string) {
    return this.#settings.get(tenantId) ?? IMMEDIATE;
  }

  configure(tenantId: string, settings: ConsistencySettings) {
    this.#settings.set(tenantId, settings);
  }

  created(policyId: string, at: number) {
    this.#createdAt.set(policyId, at);
  }

  policyHidden({ tenantId, policyId, now }: { tenantId: string; policyId: string; now: number }) {
    const at = this.#createdAt.get(policyId);
    return at !== undefined && now - at < this.settingsOf(tenantId).policyVisibleAfterSeconds * 1000;
  }

  groupUnreplicated({ tenantId, createdDateTime, now }: { tenantId: string; createdDateTime: string; now: number }) {
    return now - Date.parse(createdDateTime) < this.settingsOf(tenantId).groupReplicationSeconds * 1000;
  }
}

const POLICY_PATH = new RegExp(
  `^/(?:v1\\.0|beta)/(?:deviceManagement|deviceAppManagement)/(?:${POLICY_FAMILIES.join("|")})(?:/([^/]+)(/.*)?)?$`,
);

const intuneNotFound = (c: Context<EmulatorEnv>) =>
  graphError(
    c,
    404,
    "ResourceNotFound",
    `{"_version": 3, "Message": "Resource not found - Operation ID (for customer support): ${crypto.randomUUID()}"}`,
  );

export function registerEventualConsistency(app: Hono<EmulatorEnv>, state: EmulatorState) {
  const prefixes = ["deviceManagement", "deviceAppManagement"].flatMap((s) => [`/v1.0/${s}/*`, `/beta/${s}/*`]);
  for (const prefix of prefixes) {
    app.use(prefix, async (c, next) => {
      const match = POLICY_PATH.exec(new URL(c.req.url).pathname);
      if (!match) return next();
      const [, policyId, rest] = match;
      const tenantId = c.get("tenant").tenantId;
      const now = emulatorNow(state);
      if (!policyId) {
        await next();
        // A create: remember when, for the read-after-create window.
        if (c.req.method === "POST" && c.res.status === 201) {
          const { id } = (await c.res.clone().json()) as { id?: string };
          if (id) state.consistency.created(id, now);
        }
        return;
      }
      // Its bound actions (`/assign`, app protection's `/targetApps`) do not find it either.
      const assign = c.req.method === "POST" && (rest === "/assign" || rest === "/targetApps");
      if ((c.req.method === "GET" || assign) && state.consistency.policyHidden({ tenantId, policyId, now }))
        return intuneNotFound(c);
      if (assign) {
        const refused = await unreplicatedGroup(c, state, now);
        if (refused)
          return graphError(
            c,
            400,
            "BadRequest",
            `{"_version": 3, "Message": "Invalid GroupId : ${refused} provided, a valid AADGroupId is expected. - Operation ID (for customer support): ${crypto.randomUUID()}"}`,
          );
      }
      return next();
    });
  }

  app.post("/_emulator/tenants/:tenantId/consistency", async (c) => {
    const tenant = state.tenants.find((t) => t.tenantId === c.req.param("tenantId").toLowerCase());
    if (!tenant) return c.json({ error: "unknown tenant" }, 404);
    const parsed = consistencySettingsSchema.partial().safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: parsed.error.message }, 400);
    const settings = { ...state.consistency.settingsOf(tenant.tenantId), ...parsed.data };
    state.consistency.configure(tenant.tenantId, settings);
    return c.json(settings);
  });
}

/** The first group an /assign body names that Entra ID created too recently for Intune to know. */
async function unreplicatedGroup(c: Context<EmulatorEnv>, state: EmulatorState, now: number) {
  const tenantId = c.get("tenant").tenantId;
  if (state.consistency.settingsOf(tenantId).groupReplicationSeconds === 0) return undefined;
  const body = (await c.req.json().catch(() => null)) as { assignments?: { target?: { groupId?: unknown } }[] } | null;
  const groups = state.groups.get(tenantId)!;
  for (const a of body?.assignments ?? []) {
    const groupId = a.target?.groupId;
    const group = typeof groupId === "string" ? groups.get(groupId) : undefined;
    if (group && state.consistency.groupUnreplicated({ tenantId, createdDateTime: group.createdDateTime, now }))
      return group.id;
  }
  return undefined;
}
