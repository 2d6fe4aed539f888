import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/helpers.js';
import { dataDirFiles } from './data-dir.js';
import { DataDirInUseError, lockDataDir } from './data-dir-lock.js';

describe('lockDataDir', () => {
  it('lets one holder at a time claim a data dir, and the next once it is released', () => {
    const dataDir = temporaryDirectory();
    const first = lockDataDir(dataDir);
    expect(() => lockDataDir(dataDir)).toThrow(DataDirInUseError);
    // Another data dir is another claim.
    lockDataDir(temporaryDirectory()).release();

    first.release();
    const second = lockDataDir(dataDir);
    second.release();
  });

  it('creates the data dir when it does not exist yet', () => {
    const dataDir = path.join(temporaryDirectory(), 'nested', 'data');
    lockDataDir(dataDir).release();
    expect(fs.existsSync(dataDirFiles(dataDir).lock)).toBe(true);
  });
});
