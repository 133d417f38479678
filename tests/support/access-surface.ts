import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * The console's access surface, read from the code itself: every export of every "use server"
 * module (a server action the browser can call by id) and every page and route handler under
 * app/. The access-control tests compare this with their table, so nothing new goes unchecked.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const SOURCE_DIRS = ["app", "lib", "components"];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"));
}

const isUseServer = (statement: ts.Statement) =>
  ts.isExpressionStatement(statement) &&
  ts.isStringLiteral(statement.expression) &&
  statement.expression.text === "use server";

const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** Names a module exports (functions, consts, `export { a, b }`). */
function exportedNames(file: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && isExported(statement) && statement.name) names.push(statement.name.text);
    if (ts.isVariableStatement(statement) && isExported(statement)) {
      for (const declaration of statement.declarationList.declarations) names.push(declaration.name.getText(file));
    }
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) names.push(element.name.text);
    }
    if (ts.isExportAssignment(statement)) names.push("default");
  }
  return names;
}

/**
 * Every server action as "module#export". A "use server" directive inside a function (an inline
 * action) is listed as "module#(inline)": it has no stable name, so it needs a row of its own.
 */
export function serverActions(): string[] {
  const actions: string[] = [];
  for (const relative of SOURCE_DIRS.flatMap(sourceFiles)) {
    const text = readFileSync(path.join(ROOT, relative), "utf8");
    if (!text.includes("use server")) continue;
    const file = ts.createSourceFile(relative, text, ts.ScriptTarget.Latest, true);
    const moduleLevel = file.statements.findIndex(
      (s) => !ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression),
    );
    const directives = file.statements.slice(0, moduleLevel < 0 ? undefined : moduleLevel);
    if (directives.some(isUseServer)) actions.push(...exportedNames(file).map((name) => `${relative}#${name}`));
    else if (/["']use server["']/.test(text)) actions.push(`${relative}#(inline)`);
  }
  return actions.sort();
}

/** Every page and route handler under app/, as its URL pattern: "/t/[tenantId]/audit", "GET /api/live". */
export function consoleRoutes(): string[] {
  return sourceFiles("app")
    .filter((file) => /\/(page\.tsx|route\.ts)$/.test(file))
    .map((file) => {
      const segments = file
        .split("/")
        .slice(1, -1)
        // Route groups "(console)" shape layouts, not URLs.
        .filter((segment) => !/^\(.*\)$/.test(segment));
      const url = `/${segments.join("/")}`;
      return file.endsWith("route.ts") ? `${routeMethods(file).join(",")} ${url}` : url;
    })
    .sort();
}

/** The HTTP methods a route handler exports (GET, POST, …). */
function routeMethods(relative: string): string[] {
  const text = readFileSync(path.join(ROOT, relative), "utf8");
  const file = ts.createSourceFile(relative, text, ts.ScriptTarget.Latest, true);
  return exportedNames(file)
    .filter((name) => /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(name))
    .sort();
}
