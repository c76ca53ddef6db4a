import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * `npm run reference`: regenerates test/fixtures/reference/ with scripts/reference.py, which runs
 * the seed's own package. Debian installs python3-circuitbreaker for the system Python, so that
 * Python is tried first (a `python3` on PATH may be another one, e.g. pyenv's).
 */
const INSTALL =
  'the reference needs Python 3 with the circuitbreaker package: apt-get install python3-circuitbreaker';
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const run = spawnSync(python, ['scripts/reference.py'], { stdio: 'inherit' });
if (run.error) {
  console.error(`error: ${INSTALL} (${python}: ${run.error.message})`);
  process.exitCode = 1;
} else {
  // reference.py prints its own one line when the package is missing.
  process.exitCode = run.status ?? 1;
}
