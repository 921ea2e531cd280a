// What the setup and import commands print: a refusal in Chinese and English, one problem a line.

import { ConfigError } from '../config.ts';
import type { ImportProblem } from '../modules/org/org-import.service.ts';
import { AppError, errorMessage } from '../platform/errors.ts';

export function explain(error: AppError): string {
  const head = `${errorMessage(error.code, 'zh', error.params)} / ${errorMessage(error.code, 'en', error.params)}`;
  const details = error.details as { problems?: ImportProblem[] } | { field: string; problem: string }[] | undefined;
  const lines: string[] = [];
  if (Array.isArray(details)) for (const d of details) lines.push(`  ${d.field}: ${d.problem}`);
  for (const p of (details && !Array.isArray(details) && details.problems) || []) {
    lines.push(
      `  第${p.line}行 line ${p.line} [${p.field}]: ${errorMessage(p.code, 'zh', p.params)} / ${errorMessage(p.code, 'en', p.params)}`,
    );
  }
  return [head, ...lines].join('\n');
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** Ends a command that failed: 2 for bad settings, 1 for a refusal (explained) or anything else. */
export function exitWith(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${isAppError(error) ? explain(error) : error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
