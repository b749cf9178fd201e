/**
 * The brands the person can work on, and the one chosen (kept per person, not in the document).
 * A stored brand the person lost access to is dropped, so the picker shows instead of a 404 later.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Brand } from '../api/types.ts';
import { STORAGE_KEYS, type PaneServices } from './services.ts';

export interface BrandsState {
  brands: Brand[] | null;
  brand: Brand | null;
  error: unknown;
  choose: (brandId: string) => Promise<void>;
  reload: () => void;
}

export function useBrands({ client, host }: PaneServices, enabled: boolean): BrandsState {
  const [brands, setBrands] = useState<Brand[] | null>(null);
  const [brandId, setBrandId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    let active = true;
    setError(undefined);
    Promise.all([client.listBrands(), host.userStorage.get(STORAGE_KEYS.brandId)]).then(
      ([list, stored]) => {
        if (!active) return;
        setBrands(list);
        const only = list.length === 1 ? list[0]?.id : undefined;
        setBrandId(list.some((brand) => brand.id === stored) ? stored : (only ?? null));
      },
      (failure: unknown) => {
        if (active) setError(failure);
      },
    );
    return () => {
      active = false;
    };
  }, [client, host, enabled, attempt]);

  const choose = useCallback(
    async (id: string) => {
      setBrandId(id);
      await host.userStorage.set(STORAGE_KEYS.brandId, id);
    },
    [host],
  );
  const reload = useCallback(() => setAttempt((value) => value + 1), []);

  return { brands, brand: brands?.find((candidate) => candidate.id === brandId) ?? null, error, choose, reload };
}
