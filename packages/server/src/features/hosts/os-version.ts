/**
 * An OS text as the host reports it ("Ubuntu 22.04.3 LTS", "Mac OS X 10.14.6", "Microsoft
 * Windows 11 Enterprise 21H2") split at its first word starting with a digit: the name and the
 * version, which joined with a space give the text back (the hosts list's `os_name` +
 * `os_version` filter). No such word: all of it is the name.
 */
export function splitOsVersion(text: string): { name_only: string; version: string } {
  const match = /^(.*?)\s+(\d.*)$/.exec(text.trim())
  if (!match?.[1] || match[2] === undefined) {
    return { name_only: text.trim(), version: '' }
  }
  return { name_only: match[1], version: match[2] }
}
