import { Button, FluentProvider, makeStyles, Spinner, Text, tokens, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { ThemeName } from '../host.ts';
import { useBrands } from '../state/brands.ts';
import { ServicesProvider, useServices } from '../state/context.tsx';
import type { PaneServices } from '../state/services.ts';
import { useSession, type Session } from '../state/session.ts';
import { BrandSelect } from './BrandSelect.tsx';
import { EmptyState } from './EmptyState.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { SignIn } from './SignIn.tsx';
import { Workspace } from './Workspace.tsx';

const useStyles = makeStyles({
  root: { minHeight: '100vh', boxSizing: 'border-box', padding: tokens.spacingHorizontalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

function useHostTheme(services: PaneServices): ThemeName {
  const [theme, setTheme] = useState<ThemeName>(services.host.theme);
  useEffect(() => services.host.onThemeChange(setTheme), [services.host]);
  return theme;
}

function SignedIn({ session }: { session: Session }) {
  const styles = useStyles();
  const services = useServices();
  const brands = useBrands(services, true);
  return (
    <>
      <header className={styles.header}>
        <Text size={200} truncate wrap={false} title={session.user?.email}>
          {session.user?.full_name ?? session.user?.email}
        </Text>
        <Button size="small" appearance="subtle" onClick={() => void session.signOut()}>
          Sign out
        </Button>
      </header>
      <ErrorNotice error={brands.error} onRetry={brands.reload} />
      {brands.brands === null && brands.error === undefined && <Spinner label="Loading brands…" />}
      {brands.brands?.length === 0 && <EmptyState title="No brands yet">Ask an administrator to add you to a brand.</EmptyState>}
      {brands.brands && brands.brands.length > 0 && <BrandSelect brands={brands.brands} value={brands.brand?.id ?? null} onChange={(id) => void brands.choose(id)} />}
      {brands.brand && <Workspace key={brands.brand.id} brandId={brands.brand.id} />}
    </>
  );
}

function PaneBody() {
  const services = useServices();
  const session = useSession(services);
  if (session.status === 'starting') return <Spinner label="Starting StoreSync…" />;
  if (session.status === 'signed-out') return <SignIn onSignIn={session.signIn} startError={session.startError} />;
  return <SignedIn session={session} />;
}

/** The whole pane: Fluent theme from the host (light or dark), then sign-in, brand, workspace. */
export function App({ services }: { services: PaneServices }) {
  const styles = useStyles();
  const theme = useHostTheme(services);
  return (
    <FluentProvider theme={theme === 'dark' ? webDarkTheme : webLightTheme} className={styles.root}>
      <ServicesProvider services={services}>
        <PaneBody />
      </ServicesProvider>
    </FluentProvider>
  );
}
