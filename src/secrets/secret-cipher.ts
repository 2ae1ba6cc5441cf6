import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

/** One encrypted value: AES-256-GCM (NIST SP 800-38D) with a random 96-bit IV per value. */
export interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

/**
 * The AES key from the key material and the store's salt. scrypt (RFC 7914) makes a passphrase costly to
 * guess; a random key file gains nothing from it but costs one derivation per store read.
 */
export function deriveKey(material: Buffer, salt: Buffer): Buffer {
  return scryptSync(material, salt, 32, { N: 16384, r: 8, p: 1 });
}

/** `context` (the secret's name) is authenticated with the value: an entry moved to another name fails. */
export function seal(key: Buffer, plaintext: string, context: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** The plaintext, or null when the key is wrong or the entry was altered. */
export function open(key: Buffer, sealed: Sealed, context: string): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return null;
  }
}

export function isSealed(value: unknown): value is Sealed {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.iv === 'string' && typeof v.tag === 'string' && typeof v.data === 'string';
}
