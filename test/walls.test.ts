import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { SERVICES, wall } from '../eslint.walls.js';

/** Lints one import line as if it were a file at `filePath`, with the wall rule alone. */
async function violations(filePath: string, source: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: `${import.meta.dirname}/..`,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...SERVICES.map((service) => wall(service, true)), wall('platform', false)],
  });
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).map((message) => message.message);
}

describe('the walls between services (eslint.walls.js)', () => {
  it("refuses a service's import of another service's private file, and of the composition layer", async () => {
    expect(await violations('src/leaderboard/x.ts', "import { SqliteBanList } from '../moderation/sqlite-ban-list.js';")).toEqual([
      expect.stringContaining('only through its front door, ../moderation/index.js'),
    ]);
    expect(await violations('src/score/x.ts', "import type { UserStore } from '../auth/user-store.js';")).toHaveLength(1);
    expect(await violations('src/auth/x.ts', "import { embeddedStorage } from '../storage/embedded-storage.js';")).toEqual([
      expect.stringContaining('must not import the composition layer'),
    ]);
    expect(await violations('src/platform/x.ts', "import type { BanList } from '../moderation/index.js';")).toEqual([
      expect.stringContaining('imports none of them'),
    ]);
  });

  it('allows a front door, the own folder and platform/; tests may reach anywhere', async () => {
    expect(await violations('src/leaderboard/x.ts', "import type { BanList } from '../moderation/index.js';\nimport { TOP_SIZE } from './leaderboard-service.js';\nimport type { EventBus } from '../platform/event-bus.js';")).toEqual([]);
    expect(await violations('src/leaderboard/x.test.ts', "import { SqliteBanList } from '../moderation/sqlite-ban-list.js';")).toEqual([]);
    expect(await violations('src/storage/x.ts', "import { SqliteBanList } from '../moderation/sqlite-ban-list.js';")).toEqual([]);
  });
});
