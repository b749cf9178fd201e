import { Button, Field, makeStyles, ProgressBar, Radio, RadioGroup, Spinner, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { GenerationRun, RunEstimate } from '../api/types.ts';
import type { useGeneration } from '../state/generation.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

const duration = (seconds: number) => (seconds < 90 ? `${Math.max(1, Math.round(seconds))} s` : `${Math.round(seconds / 60)} min`);
const money = (usd: number) => `$${usd < 0.01 && usd > 0 ? usd.toFixed(4) : usd.toFixed(2)}`;

function EstimateView({ estimate, unsynced }: { estimate: RunEstimate; unsynced: number[] }) {
  const skipped = Object.entries(estimate.skipped_reasons)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${count} ${reason.replace('_', ' ')}`);
  return (
    <div aria-label="Estimate" role="group">
      <Text block weight="semibold">
        {estimate.campaigns} campaigns to generate
      </Text>
      <Text block size={200}>
        About {estimate.expected_tokens.total.toLocaleString('en-US')} tokens, {money(estimate.expected_cost_usd)}, {duration(estimate.expected_duration_seconds)}
      </Text>
      {skipped.length > 0 && <Text block size={200}>Skipped: {skipped.join(', ')}</Text>}
      {unsynced.length > 0 && <Text block size={200}>Not synced yet (left out): rows {unsynced.join(', ')}</Text>}
    </div>
  );
}

/** Which model wrote the copy, as people need to know before they review it. */
function writers(run: GenerationRun): string {
  if (run.written_by.length === 0) return '';
  return ` · copy by ${run.written_by.map((writer) => `${writer.provider} ${writer.model}`).join(', ')}`;
}

function RunView({ run }: { run: GenerationRun }) {
  const toDo = run.total - run.skipped;
  const finished = run.done + run.failed + run.cancelled;
  const status = run.status === 'running' ? 'Generating' : run.status === 'cancelled' ? 'Cancelled' : 'Finished';
  return (
    <Field
      label={`${status}: ${run.done} done, ${run.failed} failed${run.cancelled ? `, ${run.cancelled} cancelled` : ''} of ${toDo}`}
      hint={run.status === 'running' && run.estimated_seconds_left !== null ? `About ${duration(run.estimated_seconds_left)} left` : `${run.tokens.total.toLocaleString('en-US')} tokens, ${money(run.cost_usd)}${writers(run)}`}
      validationState={run.failed > 0 ? 'warning' : 'none'}
    >
      <ProgressBar value={toDo === 0 ? 1 : finished / toDo} aria-label="Generation progress" />
    </Field>
  );
}

/** Estimate, start, progress with done/failed, cancel and retry failed. */
export function GeneratePanel({ generation, examplesCount }: { generation: ReturnType<typeof useGeneration>; examplesCount: number }) {
  const styles = useStyles();
  const [scope, setScope] = useState<'selected' | 'all'>('selected');
  const { estimate, start, cancel, retryFailed, pending, run } = generation;
  const running = run?.status === 'running';
  return (
    <section className={styles.root} aria-label="Generate">
      <RadioGroup value={scope} onChange={(_, data) => setScope(data.value as 'selected' | 'all')} aria-label="Which rows" layout="horizontal">
        <Radio value="selected" label="Selected rows" />
        <Radio value="all" label="All rows" />
      </RadioGroup>
      {examplesCount > 0 && <Text size={200}>{examplesCount} chosen examples will guide the copy.</Text>}
      <div className={styles.actions}>
        <Button onClick={() => void estimate.run(scope)} disabled={estimate.busy || running}>
          {estimate.busy ? <Spinner size="tiny" label="Estimating…" /> : 'Estimate'}
        </Button>
        {pending && (
          <Button appearance="primary" onClick={() => void start.run()} disabled={start.busy || pending.estimate.campaigns === 0}>
            Generate {pending.estimate.campaigns}
          </Button>
        )}
      </div>
      <ErrorNotice error={estimate.error ?? start.error ?? cancel.error ?? retryFailed.error} />
      {pending && <EstimateView estimate={pending.estimate} unsynced={pending.unsynced} />}
      {run && (
        <div aria-live="polite">
          <RunView run={run} />
          <div className={styles.actions}>
            {running && (
              <Button onClick={() => void cancel.run()} disabled={cancel.busy}>
                Cancel run
              </Button>
            )}
            {run.failed > 0 && (
              <Button onClick={() => void retryFailed.run()} disabled={retryFailed.busy}>
                Retry failed ({run.failed})
              </Button>
            )}
            {!running && (
              <Button appearance="subtle" onClick={generation.dismiss}>
                Done
              </Button>
            )}
          </div>
          {generation.pollError !== undefined && <ErrorNotice error={generation.pollError} />}
        </div>
      )}
    </section>
  );
}
