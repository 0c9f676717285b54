import { useState } from 'react'
import { Button } from './ui.js'

/** Copies `text` to the clipboard and says so; names what it copies for screen readers. */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      setState('copied')
    } catch {
      // Clipboard access can be refused (permissions, insecure context): the text stays visible.
      setState('failed')
    }
  }
  return (
    <Button variant="secondary" aria-label={`Copy ${what}`} onClick={() => void copy()}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </Button>
  )
}
