import fs from 'node:fs';

/**
 * Prints a fault test's figures (the numbers docs/RELIABILITY.md quotes) as one line, and
 * appends it to `FAULT_RESULTS` when that names a file.
 */
export function record(fault: string, figures: Record<string, number | string>): void {
  const line = JSON.stringify({ fault, ...figures });
  console.info(`[fault] ${line}`);
  if (process.env.FAULT_RESULTS) fs.appendFileSync(process.env.FAULT_RESULTS, `${line}\n`);
}
