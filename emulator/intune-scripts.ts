import { seededGuid } from "./directory";
import type { EmulatedGroup } from "./groups";
import type { EmulatedPolicy } from "./intune";
import { assignmentsFor } from "./intune-assignments";

/**
 * Seeded scripts of one tenant, in the shapes of Microsoft's beta reference pages (the JSON
 * representation of deviceManagementScript, deviceShellScript, deviceHealthScript and
 * deviceHealthScriptAssignment; docs/graph-fidelity.md): Windows PowerShell scripts, macOS shell
 * scripts and remediations (a detection and a remediation script). Script content is base64 (Edm.Binary).
 */
export type ScriptCounts = { deviceManagementScripts: number; deviceShellScripts: number; deviceHealthScripts: number };
export const DEFAULT_SCRIPT_COUNTS: ScriptCounts = {
  deviceManagementScripts: 30,
  deviceShellScripts: 14,
  deviceHealthScripts: 26,
};

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const created = (i: number) => new Date(Date.UTC(2023, 6, 1) + i * 86_400_000).toISOString();
const number = (i: number) => String(i + 1).padStart(3, "0");
/** "0" is the Default scope tag, which every object carries. */
const SCOPE_TAGS = { roleScopeTagIds: ["0"] };

export function seedScripts(
  seed: number,
  { tenantKey, groups, counts: wanted }: { tenantKey: string; groups: EmulatedGroup[]; counts: Partial<ScriptCounts> },
): EmulatedPolicy[] {
  const counts = { ...DEFAULT_SCRIPT_COUNTS, ...wanted };
  const out: EmulatedPolicy[] = [];
  for (let i = 0; i < counts.deviceManagementScripts; i++) {
    out.push({
      family: "deviceManagementScripts",
      body: {
        "@odata.type": "#microsoft.graph.deviceManagementScript",
        id: seededGuid(seed, `ps1:${tenantKey}:${i}`),
        displayName: `Windows script ${number(i)}`,
        description: i % 3 === 0 ? null : "Runs once on every targeted device",
        scriptContent: base64(
          `# Script ${i + 1}\nSet-ItemProperty -Path 'HKLM:\\Software\\Atlas' -Name Level -Value ${i}\n`,
        ),
        createdDateTime: created(i),
        lastModifiedDateTime: created(i + 3),
        runAsAccount: i % 2 === 0 ? "system" : "user",
        enforceSignatureCheck: i % 4 === 0,
        fileName: `script-${number(i)}.ps1`,
        runAs32Bit: i % 5 === 0,
        ...SCOPE_TAGS,
      },
      settings: [],
      assignments: assignmentsFor(seed, `${tenantKey}:ps1`, i, groups),
    });
  }
  for (let i = 0; i < counts.deviceShellScripts; i++) {
    out.push({
      family: "deviceShellScripts",
      body: {
        "@odata.type": "#microsoft.graph.deviceShellScript",
        id: seededGuid(seed, `sh:${tenantKey}:${i}`),
        displayName: `macOS script ${number(i)}`,
        description: null,
        scriptContent: base64(`#!/bin/zsh\ndefaults write com.atlas.agent Level -int ${i}\n`),
        createdDateTime: created(i),
        lastModifiedDateTime: created(i + 2),
        runAsAccount: "system",
        fileName: `script-${number(i)}.sh`,
        // ISO 8601 durations, as the reference page types them (Edm.Duration).
        executionFrequency: i % 2 === 0 ? "PT0S" : "P1D",
        retryCount: i % 4,
        blockExecutionNotifications: i % 3 === 0,
        ...SCOPE_TAGS,
      },
      settings: [],
      assignments: assignmentsFor(seed, `${tenantKey}:sh`, i, groups),
    });
  }
  for (let i = 0; i < counts.deviceHealthScripts; i++) {
    out.push({
      family: "deviceHealthScripts",
      body: {
        "@odata.type": "#microsoft.graph.deviceHealthScript",
        id: seededGuid(seed, `rem:${tenantKey}:${i}`),
        displayName: `Remediation ${number(i)}`,
        description: "Detects drifted registry values and puts them back",
        publisher: "TenantAtlas demo",
        version: "1",
        detectionScriptContent: base64(
          `if ((Get-ItemPropertyValue HKLM:\\Software\\Atlas Level) -ne ${i}) { exit 1 }\n`,
        ),
        remediationScriptContent:
          i % 5 === 4 ? null : base64(`Set-ItemProperty HKLM:\\Software\\Atlas -Name Level -Value ${i}\n`),
        createdDateTime: created(i),
        lastModifiedDateTime: created(i + 1),
        runAsAccount: "system",
        enforceSignatureCheck: false,
        runAs32Bit: false,
        isGlobalScript: false,
        highestAvailableVersion: null,
        deviceHealthScriptType: "deviceHealthScript",
        detectionScriptParameters: [],
        remediationScriptParameters: [],
        ...SCOPE_TAGS,
      },
      settings: [],
      // A remediation's assignment also says whether to remediate, and when it runs.
      assignments: assignmentsFor(seed, `${tenantKey}:rem`, i, groups).map((a) => ({
        ...a,
        runRemediationScript: i % 5 !== 4,
        runSchedule: {
          "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule",
          interval: 1 + (i % 3),
          useUtc: false,
          time: "01:00:00.0000000",
        },
      })),
    });
  }
  return out;
}
