import { Badge, Button, Card, CardHeader, Field, Input, makeStyles, Spinner, Text, tokens } from '@fluentui/react-components';
import type { SimilarCampaign } from '../api/types.ts';
import type { useSimilar } from '../state/similar.ts';
import { EmptyState } from './EmptyState.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** Approved copy of the brand like the selected row's, with scores; "use as example" guides generation. */
export function SimilarPanel({
  similar,
  examples,
  onToggleExample,
}: {
  similar: ReturnType<typeof useSimilar>;
  examples: readonly SimilarCampaign[];
  onToggleExample: (example: SimilarCampaign) => void;
}) {
  const styles = useStyles();
  const { query, setQuery, fromSelection, search } = similar;
  const findForSelection = async () => {
    const text = await fromSelection.run();
    if (text) await search.run(text);
  };
  const results = search.result;
  return (
    <section className={styles.root} aria-label="Similar copy">
      <div className={styles.actions}>
        <Button appearance="primary" onClick={() => void findForSelection()} disabled={fromSelection.busy || search.busy}>
          Find for selected row
        </Button>
      </div>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void search.run(query);
        }}
      >
        <Field label="Or search for">
          <Input value={query} onChange={(_, data) => setQuery(data.value)} />
        </Field>
      </form>
      <ErrorNotice error={fromSelection.error ?? search.error} />
      {search.busy && <Spinner size="tiny" label="Searching…" />}
      {results && results.length === 0 && <EmptyState title="No similar approved copy yet">Copy appears here once campaigns of this brand are approved.</EmptyState>}
      {results?.map((result) => {
        const chosen = examples.some((example) => example.id === result.id);
        return (
          <Card key={result.id} size="small" aria-label={`${result.template_name}, ${result.location_name}`}>
            <CardHeader
              header={
                <Text weight="semibold">
                  {result.template_name} · {result.location_name}
                </Text>
              }
              action={<Badge appearance="tint">{Math.round(result.similarity_score * 100)}% similar</Badge>}
            />
            <Text size={200}>{result.content}</Text>
            <Button size="small" appearance={chosen ? 'primary' : 'secondary'} aria-pressed={chosen} onClick={() => onToggleExample(result)}>
              {chosen ? 'Example chosen' : 'Use as example'}
            </Button>
          </Card>
        );
      })}
    </section>
  );
}
