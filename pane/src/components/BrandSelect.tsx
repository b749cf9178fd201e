import { Field, Select } from '@fluentui/react-components';
import type { Brand } from '../api/types.ts';

/** A native select underneath: keyboard and screen readers work as everywhere else. */
export function BrandSelect({ brands, value, onChange }: { brands: Brand[]; value: string | null; onChange: (brandId: string) => void }) {
  return (
    <Field label="Brand">
      <Select value={value ?? ''} onChange={(_, data) => onChange(data.value)}>
        {value === null && <option value="">Choose a brand…</option>}
        {brands.map((brand) => (
          <option key={brand.id} value={brand.id}>
            {brand.name}
          </option>
        ))}
      </Select>
    </Field>
  );
}
