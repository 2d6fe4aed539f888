import { describe, expect, it } from 'vitest';
import type { UserDirectory } from './user-directory.js';

export interface DirectoryFixture {
  directory: UserDirectory;
  addUser: (id: string, username: string) => Promise<void>;
}

/** The behaviour every `UserDirectory` adapter must share. */
export function describeUserDirectory(name: string, factory: () => Promise<DirectoryFixture>): void {
  describe(`UserDirectory contract: ${name}`, () => {
    it('names users as they registered, leaving unknown ids out, again and again', async () => {
      const { directory, addUser } = await factory();
      await addUser('id-1', 'Ada');
      await addUser('id-2', 'bob_99');
      expect(await directory.usernames(['id-1', 'id-2', 'id-3'])).toEqual(new Map([['id-1', 'Ada'], ['id-2', 'bob_99']]));
      expect(await directory.usernames(['id-2'])).toEqual(new Map([['id-2', 'bob_99']]));
      expect(await directory.usernames([])).toEqual(new Map());
      await addUser('id-3', 'Cy');
      expect((await directory.usernames(['id-3'])).get('id-3')).toBe('Cy');
    });
  });
}
