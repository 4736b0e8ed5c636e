import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/*
 * Envelope encryption with AES-256-GCM (Node's crypto, no hand-rolled primitives): every child has its
 * own random data key; the data key is stored only wrapped (encrypted) by the key-encryption key from
 * the configuration. Each ciphertext is bound to its child and purpose through the additional
 * authenticated data, so a row copied onto another child fails to decrypt.
 */

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** iv ‖ tag ‖ ciphertext in one buffer. */
export type Sealed = Buffer;

export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** @throws when the key, the AAD or the data are not the ones it was sealed with. */
export function open(key: Buffer, sealed: Sealed, aad: string): Buffer {
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

export const newDataKey = (): Buffer => randomBytes(32);
