import { describe, expect, it } from 'vitest'
import { splitOsVersion } from './os-version.js'

describe('splitOsVersion', () => {
  it('splits at the first word starting with a digit', () => {
    expect(splitOsVersion('Ubuntu 22.04.3 LTS')).toEqual({
      name_only: 'Ubuntu',
      version: '22.04.3 LTS',
    })
    expect(splitOsVersion('Mac OS X 10.14.6')).toEqual({
      name_only: 'Mac OS X',
      version: '10.14.6',
    })
    expect(splitOsVersion('Microsoft Windows 11 Enterprise 21H2')).toEqual({
      name_only: 'Microsoft Windows',
      version: '11 Enterprise 21H2',
    })
  })
  it('keeps a text without a version, or starting with one, whole as the name', () => {
    expect(splitOsVersion('Arch Linux')).toEqual({ name_only: 'Arch Linux', version: '' })
    expect(splitOsVersion('10.0')).toEqual({ name_only: '10.0', version: '' })
    expect(splitOsVersion('')).toEqual({ name_only: '', version: '' })
  })
})
