// The fields of the console's GET filter forms: a labelled text box and a labelled select whose
// empty choice means "any". Server components: the form submits as a plain query string.

import { NativeSelect } from "./native-select";

const FIELD = "border-input h-9 rounded-md border bg-transparent px-2";

export function FilterInput({ name, label, defaultValue, width = "w-32" }: { name: string; label: string; defaultValue?: string; width?: string }) {
  return (
    <label className="grid gap-1">
      {label}
      <input name={name} defaultValue={defaultValue} className={`${FIELD} ${width}`} />
    </label>
  );
}

export function FilterSelect({
  name,
  label,
  value,
  options,
  anyLabel,
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: readonly string[];
  anyLabel?: string;
}) {
  return (
    <label className="grid gap-1">
      {label}
      <NativeSelect name={name} defaultValue={value ?? ""} options={options} anyLabel={anyLabel} />
    </label>
  );
}
