import { describe, expect, it } from 'vitest'
import { expandSecretReferences, referencedSecrets, secretProblem } from './secret-variable.js'

describe('secret references', () => {
  it('finds $FLEET_SECRET_X and ${FLEET_SECRET_X}, once each, sorted', () => {
    expect(referencedSecrets('a $FLEET_SECRET_B, ${FLEET_SECRET_A}, $FLEET_SECRET_B')).toEqual([
      'A',
      'B',
    ])
    expect(referencedSecrets('no secrets, $FLEET_VAR_X')).toEqual([])
  })

  it('expands both forms; an unknown name stays as written', () => {
    const values = new Map([
      ['PIN', '1234'],
      ['KEY', 'k$1'],
    ])
    expect(
      expandSecretReferences('{"a":"$FLEET_SECRET_PIN","b":"x${FLEET_SECRET_KEY}y"}', values),
    ).toBe('{"a":"1234","b":"xk$1y"}')
    expect(expandSecretReferences('$FLEET_SECRET_GONE', values)).toBe('$FLEET_SECRET_GONE')
  })

  it("refuses names without the prefix, odd characters and empty values (Fleet's rules)", () => {
    expect(secretProblem('FLEET_SECRET_PIN', 'x')).toBeUndefined()
    expect(secretProblem('PIN', 'x')).toMatch(/must start with FLEET_SECRET_/)
    expect(secretProblem('FLEET_SECRET_A-B', 'x')).toMatch(/letters, digits or _/)
    expect(secretProblem('FLEET_SECRET_', 'x')).toMatch(/letters, digits or _/)
    expect(secretProblem('FLEET_SECRET_PIN', '')).toMatch(/must not be empty/)
  })
})
