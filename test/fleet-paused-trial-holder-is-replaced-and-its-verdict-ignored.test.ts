import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from './helpers/redis-test.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { isCircuitOpenError, type SharedCircuitOptions } from 'shared-circuit';
import { circuitKeys } from '../packages/shared-circuit/src/circuit-keys.ts';
import { cleanUp, connectedCircuit, inspector, redisUrl } from './helpers/redis.ts';
import { cleanedNamespace } from './helpers/redis-namespace.ts';
import { ROOT } from './helpers/run-command.ts';
import {
  FLEET_CLOCK_SLACK_MS,
  FLEET_DEADLINE_MS,
  FLEET_RESET_TIMEOUT_MS,
  REAL_TIME_SLACK_MS,
  waitUntil,
} from './helpers/timing.ts';

/** Short, to keep the test quick; twice the reset timeout, so the pause is what frees the trial. */
const TRIAL_LEASE_MS = 2 * FLEET_RESET_TIMEOUT_MS;

/**
 * A process of the fleet that asks for the trial until it gets it, says so on stdout, and holds
 * its trial until a line on stdin, then fails it and reports what its circuit says after.
 */
const HOLDER = `
import { createInterface } from 'node:readline';
import { SharedCircuit } from 'shared-circuit';
const circuit = new SharedCircuit({ ...JSON.parse(process.env.CIRCUIT_OPTIONS), log: () => {} });
const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
await circuit.ready();
for (;;) {
  try {
    await circuit.execute(async () => {
      process.stdout.write('trial\\n');
      await stdin.next();
      throw new Error('late failure');
    });
  } catch (error) {
    if (error.message === 'late failure') break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
process.stdout.write(JSON.stringify({ state: circuit.state }) + '\\n');
await new Promise(() => {});
`;

test('a trial holder paused (SIGSTOP) past its lease is replaced by a second trial elsewhere once the lease runs out, and its late failure does not count', async (t) => {
  const url = await redisUrl(t);
  const namespace = cleanedNamespace(t, url, 'paused-holder');
  const options: SharedCircuitOptions = {
    name: 'search',
    namespace,
    redisUrl: url,
    failures: 1,
    resetTimeoutMs: FLEET_RESET_TIMEOUT_MS,
    trialLeaseMs: TRIAL_LEASE_MS,
  };
  const survivor = await connectedCircuit(t, options);
  const redis = inspector(t, url);
  const keys = circuitKeys(namespace, 'search');
  await assert.rejects(survivor.execute(() => Promise.reject(new Error('down'))));

  const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', HOLDER], {
    cwd: ROOT,
    env: { ...process.env, CIRCUIT_OPTIONS: JSON.stringify(options) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  cleanUp(t, () => {
    holder.kill('SIGCONT');
    holder.kill('SIGKILL');
  });
  let output = '';
  holder.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  await waitUntil('the holder runs the trial', () => output.includes('trial'), 20_000);
  holder.kill('SIGSTOP');
  const pausedAt = performance.now();
  // How much of its lease the holder had left when it stopped, by Redis's clock.
  const [, expiresAt] = await redis.zrange(keys.lease, '0', '-1', 'WITHSCORES');
  const [seconds, micros] = await redis.time();
  const leftMs = Number(expiresAt) - (Number(seconds) * 1000 + Math.floor(Number(micros) / 1000));

  // The survivor asks for a trial every 10 ms; its trial holds until released.
  let secondTrialAt: number | undefined;
  let startedSecond: () => void = () => {};
  const started = new Promise<void>((resolve) => (startedSecond = resolve));
  let finishSecond: () => void = () => {};
  const held = new Promise<void>((resolve) => (finishSecond = resolve));
  const secondTrial = async () => {
    secondTrialAt = performance.now();
    startedSecond();
    await held;
  };
  let secondCall: Promise<void> | undefined;
  const deadline = performance.now() + FLEET_DEADLINE_MS;
  while (secondTrialAt === undefined && performance.now() < deadline) {
    const call = survivor.execute(secondTrial);
    const rejected = call.then(
      () => false,
      (error: unknown) => {
        if (isCircuitOpenError(error)) return true;
        throw error;
      },
    );
    if (await Promise.race([rejected, started.then(() => false)])) await sleep(10);
    else secondCall = call;
  }
  assert.ok(secondTrialAt !== undefined && secondCall !== undefined, 'no second trial started');
  const afterPauseMs = secondTrialAt - pausedAt;
  t.diagnostic(
    `lease ${TRIAL_LEASE_MS} ms, ${leftMs} ms of it left at the pause: second trial ${Math.round(afterPauseMs)} ms after the pause`,
  );
  assert.ok(
    afterPauseMs >= leftMs - FLEET_CLOCK_SLACK_MS,
    `second trial ${Math.round(afterPauseMs)} ms after the pause, ${leftMs} ms of lease left`,
  );
  assert.ok(
    afterPauseMs <= leftMs + REAL_TIME_SLACK_MS,
    `second trial ${Math.round(afterPauseMs)} ms after the pause, ${leftMs} ms of lease left`,
  );
  assert.equal(await redis.zcard(keys.lease), 1, "the holder's lease gave its place up");
  // Two trials at once now, with halfOpenTrials 1: the paused one has not ended.
  assert.equal(survivor.state, 'half-open');

  const versionBefore = await redis.hget(keys.state, 'version');
  holder.stdin.write('fail\n');
  holder.kill('SIGCONT');
  await waitUntil('the resumed holder sent its late failure', () => output.includes('state'));
  const holderSaw = JSON.parse(output.slice(output.indexOf('{'))) as { state: string };
  assert.equal(holderSaw.state, 'half-open', 'the late failure opened nothing');
  assert.equal(await redis.hget(keys.state, 'state'), 'half-open');
  assert.equal(await redis.hget(keys.state, 'version'), versionBefore, 'no transition at all');
  assert.equal(await redis.zcard(keys.lease), 1, 'its resumed renewal took no place back');

  finishSecond();
  await secondCall;
  assert.equal(survivor.state, 'closed', "the second trial's success closes the circuit");
});
