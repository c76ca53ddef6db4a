import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BreakerLibrary, BreakerSettings, Breaker } from './breaker.ts';

/** The installed version of a dependency, read from its package.json (some packages do not export it). */
export function packageVersion(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === name && manifest.version) return manifest.version;
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

/**
 * An adapted library, named as its npm package and shown with the installed version; `rule` when
 * its rule for opening differs from "N consecutive failures" (see BreakerLibrary.rule).
 */
export function installedLibrary(
  name: string,
  create: (settings: BreakerSettings) => Breaker,
  rule?: (settings: BreakerSettings) => string,
): BreakerLibrary {
  return { name, version: packageVersion(name), create, ...(rule ? { rule } : {}) };
}
