// Runs npm scripts at once and prints each one's output whole when it ends, so the static checks
// of `npm test` (typecheck, lint, format check: each mostly one core) take the longest one's time,
// not their sum. Exits 1 if any failed, naming them.
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('usage: tsx scripts/run-parallel.ts <npm script> [<npm script> ...]');
  process.exit(2);
}

interface Run {
  name: string;
  code: number | null;
}

const runs = names.map(
  (name) =>
    new Promise<Run>((resolve) => {
      const started = performance.now();
      const child = spawn('npm', ['run', '-s', name], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', (error) => {
        process.stdout.write(`> ${name}: could not start: ${error.message}\n`);
        resolve({ name, code: 1 });
      });
      child.on('close', (code) => {
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        process.stdout.write(
          `> ${name}: ${code === 0 ? 'ok' : `failed (exit ${String(code)})`} in ${seconds} s\n`,
        );
        if (output.trim() !== '')
          process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
        resolve({ name, code });
      });
    }),
);

const failed = (await Promise.all(runs)).filter((run) => run.code !== 0).map((run) => run.name);
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exit(1);
}
