import { describe, expect, it } from 'vitest';
import type { UserDirectory, UserSearch } from './user-directory.js';

export interface DirectoryFixture {
  directory: UserDirectory & UserSearch;
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

    it('finds users by the start of their name, any case, by name, at most `limit`', async () => {
      const { directory, addUser } = await factory();
      for (const [id, username] of [['a', 'Alice'], ['b', 'alina'], ['c', 'ALI_7'], ['d', 'ali-b'], ['e', 'bob'], ['f', 'Al']]) await addUser(id as string, username as string);
      const names = async (prefix: string, limit = 10) => (await directory.search(prefix, limit)).map((user) => user.username);
      expect(await names('ali')).toEqual(['ali-b', 'ALI_7', 'Alice', 'alina']);
      expect(await names('AL')).toEqual(['Al', 'ali-b', 'ALI_7', 'Alice', 'alina']);
      expect(await names('ali', 2)).toEqual(['ali-b', 'ALI_7']);
      expect(await names('zed')).toEqual([]);
      const [found] = await directory.search('bob', 1);
      expect(found).toMatchObject({ id: 'e', username: 'bob' });
      expect(Number.isNaN(Date.parse(found?.createdAt ?? ''))).toBe(false);
    });
  });
}
