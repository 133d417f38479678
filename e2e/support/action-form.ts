/**
 * A server action's form as the page rendered it, for submitting it over plain HTTP the way a
 * browser without JavaScript does (React renders `$ACTION_*` hidden fields into every form bound to
 * a server action: the action's id from the build, its bound arguments and the form-state key).
 */
export type ActionForm = Record<string, string>;

/** The hidden fields of the first form on the page that contains `marker` (e.g. a button's text). */
export function actionForm(html: string, marker: string): ActionForm {
  const form = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)].map((m) => m[0]).find((f) => f.includes(marker));
  if (!form) throw new Error(`No form containing "${marker}" on the page.`);
  const fields: ActionForm = {};
  for (const input of form.matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(input[0])?.[1];
    if (name) fields[unescape(name)] = unescape(/\bvalue="([^"]*)"/.exec(input[0])?.[1] ?? "");
  }
  if (!Object.keys(fields).some((name) => name.startsWith("$ACTION_"))) {
    throw new Error(`The form containing "${marker}" is not bound to a server action.`);
  }
  return fields;
}

function unescape(value: string) {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
