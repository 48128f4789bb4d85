import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from './atomic-write.ts';

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const file = join(dir, 'model.json');
    writeFileAtomicSync(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['model.json']);
  });

  it('fails loudly when the folder does not exist', async () => {
    const missing = join(tmpdir(), `absent-${process.pid}`, 'x.json');
    await expect(writeFileAtomic(missing, 'x')).rejects.toThrow(/ENOENT/);
    expect(() => writeFileAtomicSync(missing, 'x')).toThrow(/ENOENT/);
  });
});
