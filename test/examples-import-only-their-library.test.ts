import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { ROOT } from './helpers/run-command.ts';

const LIBRARIES = ['opossum', 'cockatiel', 'mollitia'];
/** The project's own package, which a recipe imports by name as a user would. */
const OWN_PACKAGE = 'shared-circuit';
/** The one project module an example may import: the mock server's public entry. */
const SERVER_ENTRY = 'src/server/index.ts';

/** Every .ts file under examples/, recipes included, relative to the project root. */
function exampleFiles(folder = 'examples'): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return exampleFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** What is wrong with a file's imports (static, dynamic and re-exports, as TypeScript reads them). */
function importProblems(file: string, source: string): string[] {
  const problems: string[] = [];
  const libraries = new Set<string>();
  for (const { fileName: specifier } of ts.preProcessFile(source, true, true).importedFiles) {
    if (specifier.startsWith('.')) {
      const target = relative(ROOT, resolve(ROOT, dirname(file), specifier));
      if (target !== SERVER_ENTRY) problems.push(`imports ${specifier} (only ${SERVER_ENTRY})`);
    } else if (LIBRARIES.includes(specifier) || specifier === OWN_PACKAGE) {
      libraries.add(specifier);
    } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
      problems.push(`imports ${specifier} (only its library, node: built-ins and the server)`);
    }
  }
  const own = LIBRARIES.find((library) => file === join('examples', `${library}.ts`));
  if (own !== undefined) {
    if (!libraries.has(own)) problems.push(`does not import '${own}' by package name`);
    for (const other of libraries) if (other !== own) problems.push(`imports ${other} too`);
  } else if (libraries.size === 0) {
    problems.push(`imports none of ${LIBRARIES.join(', ')} by package name`);
  }
  return problems;
}

test('the three examples and at least five recipes are checked', () => {
  const files = exampleFiles();
  for (const library of LIBRARIES) assert.ok(files.includes(join('examples', `${library}.ts`)));
  assert.ok(files.filter((file) => file.startsWith(join('examples', 'recipes'))).length >= 5);
});

test('every example and recipe imports only its library, node built-ins and the server entry', () => {
  const problems = exampleFiles().flatMap((file) =>
    importProblems(file, readFileSync(join(ROOT, file), 'utf8')).map((p) => `${file} ${p}`),
  );
  assert.deepEqual(problems, []);
});

test('the check catches an adapter import, a missing library and a stray package', () => {
  const file = join('examples', 'cockatiel.ts');
  assert.deepEqual(
    importProblems(file, "import { cockatiel } from '../src/breakers/cockatiel.ts';"),
    [
      'imports ../src/breakers/cockatiel.ts (only src/server/index.ts)',
      "does not import 'cockatiel' by package name",
    ],
  );
  assert.deepEqual(
    importProblems(file, "import 'cockatiel';\nconst m = await import('../src/server/mode.ts');"),
    ['imports ../src/server/mode.ts (only src/server/index.ts)'],
  );
  assert.deepEqual(importProblems(file, "import 'cockatiel';\nimport 'ioredis';"), [
    'imports ioredis (only its library, node: built-ins and the server)',
  ]);
  assert.deepEqual(importProblems(file, "import 'cockatiel';\nimport 'opossum';"), [
    'imports opossum too',
  ]);
  assert.deepEqual(importProblems(join('examples', 'recipes', 'x.ts'), "import 'node:fs';"), [
    'imports none of opossum, cockatiel, mollitia by package name',
  ]);
});
