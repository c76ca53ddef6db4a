/**
 * Two lint rules that keep the code's layers pointing one way (see docs/architecture.md):
 * - `layers/direction`: a module in src/ imports only from its own folder or from a lower layer;
 * - `layers/no-cycle`: no module imports one that (directly or not) imports it back.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

/** Each folder of src/ and its layer: a module may import from a strictly lower layer only. */
export const LAYERS = {
  '.': 0, // src/input-error.ts
  statistics: 0,
  http: 1,
  faults: 1,
  server: 2,
  breakers: 3,
  fleet: 4,
  scenario: 4,
  libraries: 5,
  report: 5,
  'fleet-demo': 5,
  conformance: 5,
  matrix: 6,
  dashboard: 7,
  cli: 9,
};

const SPECIFIER =
  /(?:^|\s)(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function relativeImports(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const found = [];
  for (const match of text.matchAll(SPECIFIER)) {
    found.push(resolve(dirname(file), match[1] ?? match[2]));
  }
  return found;
}

const graph = new Map();
function importsOf(file) {
  let targets = graph.get(file);
  if (!targets) {
    targets = relativeImports(file);
    graph.set(file, targets);
  }
  return targets;
}

/** A path of imports from `from` back to `to`, or undefined. */
function pathBack(from, to) {
  const seen = new Set();
  const stack = [[from, [from]]];
  while (stack.length > 0) {
    const [file, path] = stack.pop();
    if (file === to) return path;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const next of importsOf(file)) stack.push([next, [...path, next]]);
  }
  return undefined;
}

function folderOf(file, srcRoot) {
  const inside = relative(srcRoot, file);
  if (inside.startsWith('..')) return undefined;
  const parts = inside.split(sep);
  return parts.length === 1 ? '.' : parts[0];
}

function importSources(context, check) {
  const visit = (node) => {
    const source = node.source;
    if (source && typeof source.value === 'string' && source.value.startsWith('.')) {
      check(node, resolve(dirname(context.filename), source.value));
    }
  };
  return {
    ImportDeclaration: visit,
    ExportNamedDeclaration: visit,
    ExportAllDeclaration: visit,
    ImportExpression: visit,
  };
}

const direction = {
  meta: {
    type: 'problem',
    docs: { description: 'a module imports only from its own folder or a lower layer' },
    schema: [],
  },
  create(context) {
    const srcRoot = resolve(context.cwd, 'src');
    const from = folderOf(context.filename, srcRoot);
    if (from === undefined) return {};
    return importSources(context, (node, target) => {
      const to = folderOf(target, srcRoot);
      if (to === undefined) {
        context.report({
          node,
          message: `src/ may not import ${relative(context.cwd, target)}: tests, benchmarks and examples stand on src/, not under it`,
        });
        return;
      }
      if (to === from) return;
      const fromRank = LAYERS[from];
      const toRank = LAYERS[to];
      if (fromRank === undefined || toRank === undefined) {
        context.report({
          node,
          message: `src/${from === '.' ? '' : from} or src/${to}: a folder with no layer; add it to LAYERS in eslint/layers.js`,
        });
      } else if (toRank >= fromRank) {
        context.report({
          node,
          message: `src/${from}/ (layer ${fromRank}) may not import src/${to}/ (layer ${toRank}): imports point down the layers (docs/architecture.md)`,
        });
      }
    });
  },
};

const noCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'no module imports one that imports it back' },
    schema: [],
  },
  create(context) {
    const self = resolve(context.filename);
    return importSources(context, (node, target) => {
      const back = pathBack(target, self);
      if (back) {
        const cwd = context.cwd;
        context.report({
          node,
          message: `import cycle: ${[self, ...back].map((file) => relative(cwd, file)).join(' -> ')}`,
        });
      }
    });
  },
};

export default { rules: { direction, 'no-cycle': noCycle } };
