import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers/run-command.ts';

// The documents a reader follows links through: the front page, every page in docs/, the package's README.
const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
  'packages/shared-circuit/README.md',
];

/** The text outside fenced code blocks, line by line (a `# HELP` line in a sample is no heading). */
function proseLines(markdown: string): string[] {
  let fence: string | undefined;
  const lines: string[] = [];
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    if (fence === undefined) lines.push(line);
  }
  return lines;
}

/** GitHub's heading anchor: lower case, punctuation dropped, each space a hyphen (github-slugger). */
function slug(heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // a link shows its text
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a file offers: its headings' slugs (repeats get -1, -2, ...) and `<a id|name>`. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const base = slug(heading);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const match of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1] ?? '');
  }
  return anchors;
}

/** The relative link targets of a document: `[text](target)`, `![alt](target)`, `[ref]: target`. */
function relativeTargets(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(markdown)) {
    const prose = line.replace(/`[^`]*`/g, '``'); // code spans hold no links
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
      targets.push(match[1] ?? '');
    const definition = /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(prose)?.[1];
    if (definition !== undefined) targets.push(definition);
  }
  return targets.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target)); // not https:, mailto:
}

/** Why a link does not resolve, or undefined when it does. */
function brokenReason(document: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#', 2);
  const file = path === '' ? join(ROOT, document) : join(ROOT, dirname(document), decodeURI(path));
  if (!existsSync(file)) return `no file ${relative(ROOT, file)}`;
  if (anchor === undefined || anchor === '' || !file.endsWith('.md')) return undefined;
  const anchors = anchorsOf(readFileSync(file, 'utf8'));
  if (!anchors.has(decodeURIComponent(anchor)))
    return `no heading #${anchor} in ${relative(ROOT, file)}`;
  return undefined;
}

test('the anchor of a heading is GitHub’s', () => {
  assert.equal(slug('The JSON trace'), 'the-json-trace');
  assert.equal(slug('`new SharedCircuit(options)`'), 'new-sharedcircuitoptions');
  assert.equal(
    slug('`new CircuitControl({ redisUrl?, namespace?, timeoutMs? })` and `npx shared-circuit`'),
    'new-circuitcontrol-redisurl-namespace-timeoutms--and-npx-shared-circuit',
  );
  assert.equal(slug('From Python to TypeScript'), 'from-python-to-typescript');
  assert.deepEqual(
    [...anchorsOf('# A\n```\n# B\n```\n## A\n<a id="note-1"></a>x')],
    ['a', 'a-1', 'note-1'],
  );
});

for (const document of DOCUMENTS) {
  test(`every relative link in ${document} resolves, to a file and to a heading in it`, () => {
    const markdown = readFileSync(join(ROOT, document), 'utf8');
    const broken = relativeTargets(markdown).flatMap((target) => {
      const reason = brokenReason(document, target);
      return reason === undefined ? [] : [`(${target}): ${reason}`];
    });
    assert.deepEqual(broken, [], `${document} has links that do not resolve`);
  });
}
