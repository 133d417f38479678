import type { Client, GraphRequest } from "@microsoft/microsoft-graph-client";

/**
 * Links Graph hands out (deltaLinks) are absolute, but the host they name is an accident of where
 * the console talked to Graph at the time: a national cloud, a proxy, an emulator on a new port.
 * Stored links keep only the version, path and query; they are sent to the Graph host configured
 * now, so the app's token never follows a stored host either.
 */
export function storableGraphLink(link: string): string {
  if (!/^https?:\/\//i.test(link)) return link;
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

/** The request for a stored link (absolute links from before are re-based the same way). */
export function requestForStoredLink(graph: Client, stored: string): GraphRequest {
  const relative = storableGraphLink(stored);
  const match = /^\/(v1\.0|beta)(\/.*)$/.exec(relative);
  if (!match) throw new Error(`A stored Graph link has no API version: ${relative.slice(0, 80)}`);
  return graph.api(match[2]!).version(match[1]!);
}
