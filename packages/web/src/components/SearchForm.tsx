import { useState, type FormEvent } from 'react'
import { Button, TextInput } from './ui.js'

/**
 * A labelled search box with its button; searching happens on submit (Enter or the button), so
 * each search is one request and one URL. `initial` is the search in the URL.
 */
export function SearchForm({
  id,
  label,
  placeholder,
  initial,
  className,
  onSearch,
}: {
  id: string
  label: string
  placeholder: string
  initial: string
  className?: string
  onSearch: (search: string) => void
}) {
  const [search, setSearch] = useState(initial)
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    onSearch(search.trim())
  }
  return (
    <form role="search" className={className} onSubmit={onSubmit}>
      <TextInput
        id={id}
        label={label}
        type="search"
        placeholder={placeholder}
        value={search}
        onChange={setSearch}
      />
      <Button type="submit" variant="secondary">
        Search
      </Button>
    </form>
  )
}
