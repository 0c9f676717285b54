/**
 * Saves a file through the browser's download (an object URL on a temporary link): the file is
 * fetched with the session's token, which a plain link could not send.
 */
export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  // The click starts the download synchronously; the URL is not needed after it.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** Saves text as a file (a CSV report, a CSR) through the browser's download. */
export function saveTextFile(name: string, text: string, type: string): void {
  saveBlob(name, new Blob([text], { type }))
}
