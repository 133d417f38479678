export const tenantUrl = (tenantId: string) => `/t/${tenantId}`;
export const runsUrl = (tenantId: string) => `/t/${tenantId}/operations`;
export const runUrl = (tenantId: string, runId: string) => `/t/${tenantId}/operations/${runId}`;
