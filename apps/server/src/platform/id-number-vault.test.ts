import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createIdNumberVault, loadIdNumberKey } from './id-number-vault.ts';

describe('the ID number vault', () => {
  const vault = createIdNumberVault(randomBytes(32));

  it('seals a number so that only the key opens it, differently each time', () => {
    const sealed = vault.encrypt('11010519491231002X');
    expect(sealed).not.toContain('11010519491231002X');
    expect(vault.encrypt('11010519491231002X')).not.toBe(sealed);
    expect(vault.decrypt(sealed)).toBe('11010519491231002X');
    expect(() => createIdNumberVault(randomBytes(32)).decrypt(sealed)).toThrow();
  });

  it('indexes equal numbers equally, and differently under another key', () => {
    expect(vault.blindIndex('11010519491231002X')).toBe(vault.blindIndex('11010519491231002X'));
    expect(createIdNumberVault(randomBytes(32)).blindIndex('11010519491231002X')).not.toBe(vault.blindIndex('11010519491231002X'));
  });

  it('makes a private key file on first start and reads the same key after', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-key-'));
    const first = loadIdNumberKey({ fromEnv: undefined, dataDir });
    const file = path.join(dataDir, 'keys', 'id-number.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadIdNumberKey({ fromEnv: undefined, dataDir }).equals(first)).toBe(true);
    const fromEnv = randomBytes(32);
    expect(loadIdNumberKey({ fromEnv: fromEnv.toString('base64'), dataDir }).equals(fromEnv)).toBe(true);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
