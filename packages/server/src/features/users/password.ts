import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

const KEY_LENGTH = 32

function scryptAsync(password: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must cover 128 * N * r bytes.
    scrypt(password, salt, KEY_LENGTH, { N: n, r: 8, p: 1, maxmem: 256 * n * 8 }, (err, key) => {
      if (err) {
        reject(err)
      } else {
        resolve(key)
      }
    })
  })
}

/**
 * Hashes a password with scrypt, a memory-hard KDF (N = 2^cost, r = 8, p = 1; cost 15 needs
 * 32 MiB per hash). Stored as `scrypt$<cost>$<salt>$<hash>` so the cost can change later.
 */
export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt, 2 ** cost)
  return `scrypt$${cost}$${salt.toString('base64')}$${key.toString('base64')}`
}

/** Constant-time check of a password against a stored hash; false for malformed hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, costText, saltText, keyText] = stored.split('$')
  const cost = Number(costText)
  if (
    scheme !== 'scrypt' ||
    !Number.isInteger(cost) ||
    cost < 10 ||
    cost > 20 ||
    !saltText ||
    !keyText
  ) {
    return false
  }
  const expected = Buffer.from(keyText, 'base64')
  const actual = await scryptAsync(password, Buffer.from(saltText, 'base64'), 2 ** cost)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

/**
 * Fleet's password rules: 12–48 characters with a number and a symbol. Returns the reason it
 * fails, or undefined when the password is acceptable.
 */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 12) {
    return 'Password must be at least 12 characters long'
  }
  if (password.length > 48) {
    return 'Password must be at most 48 characters long'
  }
  if (!/[0-9]/.test(password)) {
    return 'Password must contain at least one number'
  }
  if (!/[^A-Za-z0-9]/.test(password)) {
    return 'Password must contain at least one symbol'
  }
  return undefined
}
