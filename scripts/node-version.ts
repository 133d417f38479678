/**
 * Why this Node.js cannot run the console (undefined when it can). `required` is package.json's
 * `engines.node`, a lower bound written ">=MAJOR.MINOR[.PATCH]".
 */
export function nodeVersionProblem(version: string, required: string): string | undefined {
  const minimum = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(required.trim())?.[1];
  if (!minimum) throw new Error(`engines.node must be a lower bound (">=22.19"), not "${required}".`);
  const parts = (v: string) => [...v.split(".").map(Number), 0, 0].slice(0, 3);
  const [have, need] = [parts(version), parts(minimum)];
  const older = have.findIndex((n, i) => n !== need[i]);
  if (older === -1 || have[older]! > need[older]!) return undefined;
  return (
    `TenantAtlas console needs Node.js ${minimum} or newer; this is ${version}. ` +
    `Install Node.js 22 (e.g. \`nvm install\` reads .nvmrc, or \`npm install -g node@22\`) and run the command again.`
  );
}
