import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedApp, temporaryDirectory } from '../../test/helpers.js';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

function boardFile(boards: object[]): string {
  const file = path.join(temporaryDirectory(), 'boards.json');
  fs.writeFileSync(file, JSON.stringify({ boards }));
  return file;
}

describe('boards filled from the ledger at start', () => {
  it('fills a board added to the configuration, and refills one whose aggregate changed, leaving the others as they were', async () => {
    const dataDir = temporaryDirectory();
    const clock = { now: T0 };
    const first = await embeddedApp({ dataDir, boardConfig: boardFile([{ id: 'global' }, { id: 'best' }]), now: () => clock.now });
    const ann = await first.player('ann');
    const bob = await first.player('bob');
    await first.click(ann.token, 3);
    clock.now += 1_000;
    await first.click(bob.token, 1);
    await first.close();

    clock.now = T0 + 60_000;
    const second = await embeddedApp({
      dataDir,
      boardConfig: boardFile([{ id: 'global' }, { id: 'best', aggregate: 'max' }, { id: 'today', period: 'daily' }]),
      now: () => clock.now,
    });
    const board = async (id: string) =>
      (await second.client.get(`/api/v1/leaderboards/${id}`)).json<{ entries: { username: string; score: number }[] }>().entries.map((e) => [e.username, e.score]);
    expect(await board('global')).toEqual([['ann', 3], ['bob', 1]]);
    // Refilled under its new aggregate: the best single action, 1 point each; ann reached it first.
    expect(await board('best')).toEqual([['ann', 1], ['bob', 1]]);
    // New: every action of today counted, as if the board had been there.
    expect(await board('today')).toEqual([['ann', 3], ['bob', 1]]);
    // And from now on it counts like the others.
    await second.click(bob.token, 3);
    expect(await board('today')).toEqual([['bob', 4], ['ann', 3]]);
  });
});
