import { useState } from 'preact/hooks';
import { type Api, seg } from '../shared/api';
import { instant, localInput } from '../shared/format';
import { ErrorText, Notice, useAction } from '../shared/ui';

interface Recovery {
  redelivered: number;
}

/**
 * Bulk recovery after a receiver's outage: every delivery accepted in a time range that gave up or was cancelled (and
 * on request those delivered) is due again, for one endpoint or every endpoint of an application.
 */
export function Recover({ api, params }: { api: Api; params: URLSearchParams }) {
  const now = Date.now();
  const [form, setForm] = useState({
    application: params.get('application') ?? '',
    endpointId: params.get('endpoint') ?? '',
    from: localInput(new Date(now - 24 * 3600_000)),
    to: localInput(new Date(now + 60_000)),
    includeDelivered: false,
  });
  const action = useAction();
  const set = (name: string) => (e: Event) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value });
  return (
    <>
      <h1>Recover a time range</h1>
      <p class="hint">
        An endpoint, or an application (all its endpoints, or the endpoint named too). Deliveries that gave up or were
        cancelled are sent again at once, each with a fresh round of its schedule.
      </p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          action.run(async () => {
            const body = {
              endpointId: form.endpointId.trim() || undefined,
              from: instant(form.from),
              to: instant(form.to),
              includeDelivered: form.includeDelivered,
            };
            const path = form.application.trim()
              ? `/api/applications/${seg(form.application.trim())}/recoveries`
              : '/api/recoveries';
            const answer = await api.post<Recovery>(path, body);
            return `${answer.redelivered} deliveries are due again.`;
          });
        }}
      >
        <label>
          Application
          <input name="application" value={form.application} onInput={set('application')} />
        </label>
        <label>
          Endpoint id
          <input name="endpointId" value={form.endpointId} onInput={set('endpointId')} />
        </label>
        <label>
          Accepted from
          <input name="from" type="datetime-local" required value={form.from} onInput={set('from')} />
        </label>
        <label>
          Accepted before
          <input name="to" type="datetime-local" required value={form.to} onInput={set('to')} />
        </label>
        <label class="check">
          <input
            type="checkbox"
            name="includeDelivered"
            checked={form.includeDelivered}
            onChange={(e) => setForm({ ...form, includeDelivered: (e.target as HTMLInputElement).checked })}
          />
          also those delivered
        </label>
        <button type="submit" disabled={action.busy}>
          Recover
        </button>
      </form>
      <ErrorText error={action.error} />
      <Notice text={action.done} />
    </>
  );
}
