import { useState } from 'preact/hooks';
import { seg } from '../shared/api';
import { AttemptTable } from '../shared/attempts';
import { instant, localInput, time } from '../shared/format';
import { href, navigate } from '../shared/route';
import type { Delivery } from '../shared/types';
import { Badge, ErrorText, Notice, Table, useAction, useLoad } from '../shared/ui';
import type { PortalContext } from './context';

export function PortalDeliveries({ context, params }: { context: PortalContext; params: URLSearchParams }) {
  const { api, root } = context;
  const status = params.get('status') ?? '';
  const deliveries = useLoad(() => api.get<Delivery[]>(`${root}/deliveries`, { status, limit: 50 }), status, 3000);
  return (
    <>
      <h1>Deliveries</h1>
      <div class="actions">
        <label>
          Status
          <select
            name="status"
            value={status}
            onChange={(e) => navigate(href(['deliveries'], { status: (e.target as HTMLSelectElement).value }))}
          >
            <option value="">any</option>
            <option>PENDING</option>
            <option>DELIVERED</option>
            <option>GAVE_UP</option>
            <option>CANCELLED</option>
          </select>
        </label>
      </div>
      <PortalDeliveryTable context={context} deliveries={deliveries.data} error={deliveries.error} onChanged={deliveries.reload} />
      <ReplayFailures context={context} onDone={deliveries.reload} />
    </>
  );
}

/** Sends again every delivery of the application that gave up (or was cancelled) in a time range. */
function ReplayFailures({ context, onDone }: { context: PortalContext; onDone: () => void }) {
  const [from, setFrom] = useState(localInput(new Date(Date.now() - 24 * 3600_000)));
  const [to, setTo] = useState(localInput(new Date(Date.now() + 60_000)));
  const action = useAction();
  return (
    <>
      <h2>Replay failures</h2>
      <form
        class="filters card"
        onSubmit={(e) => {
          e.preventDefault();
          action.run(async () => {
            const answer = await context.api.post<{ redelivered: number }>(`${context.root}/recoveries`, {
              from: instant(from),
              to: instant(to),
            });
            onDone();
            return `${answer.redelivered} failed deliveries are being sent again.`;
          });
        }}
      >
        <label>
          Sent from
          <input name="from" type="datetime-local" required value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Sent before
          <input name="to" type="datetime-local" required value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={action.busy}>
          Replay failures
        </button>
      </form>
      <ErrorText error={action.error} />
      <Notice text={action.done} />
    </>
  );
}

export function PortalDeliveryTable(props: {
  context: PortalContext;
  deliveries?: Delivery[];
  error?: string;
  onChanged: () => void;
}) {
  const { api, root } = props.context;
  const action = useAction();
  const rows = props.deliveries ?? [];
  return (
    <>
      <ErrorText error={props.error ?? action.error} />
      <Notice text={action.done} />
      <Table label="Deliveries" head={['Delivery', 'Event type', 'Status', 'Attempts', 'Last answer', 'Sent', '']} empty={props.deliveries !== undefined && rows.length === 0}>
        {rows.map((d) => (
          <tr key={d.id} data-delivery={d.id}>
            <td>
              <a href={href(['deliveries', d.id])}>{d.id.slice(0, 8)}</a>
            </td>
            <td>{d.eventType}</td>
            <td>
              <Badge value={d.status} />
            </td>
            <td>{d.attemptCount}</td>
            <td class="wrap">{d.lastStatusCode ?? d.lastError ?? ''}</td>
            <td>{time(d.createdAt)}</td>
            <td>
              {d.status === 'PENDING' ? null : (
                <button
                  type="button"
                  disabled={action.busy}
                  aria-label={`Resend delivery ${d.id}`}
                  onClick={() =>
                    action.run(async () => {
                      await api.post(`${root}/deliveries/${seg(d.id)}/redeliver`);
                      props.onChanged();
                      return 'Sent again.';
                    })
                  }
                >
                  Resend
                </button>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}

export function PortalDelivery({ context, id }: { context: PortalContext; id: string }) {
  const path = `${context.root}/deliveries/${seg(id)}`;
  const delivery = useLoad(() => context.api.get<Delivery>(path), path, 3000);
  const d = delivery.data;
  return (
    <>
      <h1>Delivery {id}</h1>
      <ErrorText error={delivery.error} />
      {d ? (
        <section>
          <dl class="facts">
            <dt>Status</dt>
            <dd>
              <Badge value={d.status} />
            </dd>
            <dt>Event type</dt>
            <dd>{d.eventType}</dd>
            <dt>Endpoint</dt>
            <dd>
              <a href={href(['endpoints', d.endpointId])}>{d.endpointId}</a>
            </dd>
            <dt>Sent</dt>
            <dd>{time(d.createdAt)}</dd>
            <dt>Next attempt</dt>
            <dd>{time(d.nextAttemptAt) || '–'}</dd>
          </dl>
          <h2>Payload</h2>
          <pre>{JSON.stringify(d.payload, null, 2)}</pre>
        </section>
      ) : null}
      <h2>Attempts</h2>
      <AttemptTable attempts={d?.attempts} />
    </>
  );
}
