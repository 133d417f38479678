// Runs before anything else in `npm start`, `npm run dev` and `npm run worker`: on an older Node.js
// the failure would otherwise come from deep inside `next build` ("Cannot read properties of undefined").
import { readFileSync } from "node:fs";
import { nodeVersionProblem } from "./node-version";

const { engines } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  engines: { node: string };
};
const problem = nodeVersionProblem(process.versions.node, engines.node);
if (problem) {
  console.error(problem);
  process.exit(1);
}
