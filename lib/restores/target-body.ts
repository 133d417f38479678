import { type TemplateMatches, withMappedGroupReferences } from "./references";
import { withOmaPlaintexts } from "./secrets";

/**
 * The last step of a create body, applied after `creationBody`: what changes because the policy
 * goes to the target tenant — encrypted OMA-URI values in plain text again, group ids named
 * outside the assignments swapped for their mapped targets, notification templates for the target's.
 */
export function bodyForTarget(
  body: Record<string, unknown>,
  {
    content,
    mapping,
    templates,
    openSealed,
  }: {
    content: Record<string, unknown>;
    mapping: Record<string, string>;
    /** Into another tenant: notification templates by the target's namesakes. */
    templates?: TemplateMatches;
    openSealed: (reference: string, sealed: string) => string;
  },
) {
  return withMappedGroupReferences(withOmaPlaintexts(body, { content, openSealed }), mapping, templates);
}
