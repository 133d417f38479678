import { withMappedGroupReferences } from "./references";
import { withOmaPlaintexts } from "./secrets";

/**
 * The last step of a create body, applied after `creationBody`: what changes because the policy
 * goes to the target tenant — encrypted OMA-URI values in plain text again, and group ids named
 * outside the assignments swapped for their mapped targets.
 */
export function bodyForTarget(
  body: Record<string, unknown>,
  {
    content,
    mapping,
    openSealed,
  }: {
    content: Record<string, unknown>;
    mapping: Record<string, string>;
    openSealed: (reference: string, sealed: string) => string;
  },
) {
  return withMappedGroupReferences(withOmaPlaintexts(body, { content, openSealed }), mapping);
}
