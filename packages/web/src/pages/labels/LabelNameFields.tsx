import { TextInput } from '../../components/ui.js'

/** A label's name and description, the fields every label form has. */
export function LabelNameFields({
  name,
  setName,
  description,
  setDescription,
}: {
  name: string
  setName: (name: string) => void
  description: string
  setDescription: (description: string) => void
}) {
  return (
    <>
      <TextInput id="label-name" label="Name" required value={name} onChange={setName} />
      <TextInput
        id="label-description"
        label="Description"
        value={description}
        onChange={setDescription}
      />
    </>
  )
}
