import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../../input-error.ts';

/** A report file that cannot be written: a missing folder, a folder, a path the system refuses. */
export class ReportPathError extends InputError {
  override readonly name = 'ReportPathError';
}

/**
 * Where a report path given on the command line points. `npm start` runs in the project's root,
 * not where the user typed the command; npm keeps that folder in INIT_CWD, so a relative path is
 * resolved there, where the user meant it.
 */
export function reportPathFrom(path: string, env: NodeJS.ProcessEnv = process.env): string {
  if (isAbsolute(path)) return path;
  const base = env['INIT_CWD'];
  return base !== undefined && base !== '' ? resolve(base, path) : resolve(path);
}

/**
 * Checks up front, before a run of many seconds, that `file` can be written: its folder exists (it
 * is not created silently, so a typo in it is caught) and a file can be created or opened there.
 * A new file is created and removed again; an existing one is opened for appending, not changed.
 */
export function checkReportPath(file: string): void {
  const folder = dirname(file);
  const folderStat = statSync(folder, { throwIfNoEntry: false });
  if (!folderStat)
    throw new ReportPathError(`the folder ${folder} does not exist; create it first`);
  if (!folderStat.isDirectory()) throw new ReportPathError(`${folder} is not a folder`);
  const fileStat = statSync(file, { throwIfNoEntry: false });
  if (fileStat?.isDirectory()) throw new ReportPathError(`${file} is a folder, not a file`);
  try {
    closeSync(openSync(file, fileStat ? 'a' : 'wx'));
    if (!fileStat) unlinkSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ReportPathError(`cannot write ${file} (${code})`);
  }
}
