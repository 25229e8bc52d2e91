import { useState } from 'preact/hooks';
import { seg } from '../shared/api';
import { DeliveryTable, DeliveryView, StatusSelect } from '../shared/deliveries';
import { instant, localInput } from '../shared/format';
import { href, navigate } from '../shared/route';
import type { Delivery } from '../shared/types';
import { ErrorText, Notice, useAction, useLoad } from '../shared/ui';
import type { PortalContext } from './context';

export function PortalDeliveries({ context, params }: { context: PortalContext; params: URLSearchParams }) {
  const { api, root } = context;
  const status = params.get('status') ?? '';
  const deliveries = useLoad(() => api.get<Delivery[]>(`${root}/deliveries`, { status, limit: 50 }), status, 3000);
  return (
    <>
      <h1>Deliveries</h1>
      <div class="actions">
        <StatusSelect value={status} onChange={(value) => navigate(href(['deliveries'], { status: value }))} />
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
  return (
    <>
      <ErrorText error={action.error} />
      <Notice text={action.done} />
      <DeliveryTable
        deliveries={props.deliveries}
        error={props.error}
        action={(d) =>
          d.status === 'PENDING' ? null : (
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
          )
        }
      />
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
      <DeliveryView delivery={d} endpoint={d ? <a href={href(['endpoints', d.endpointId])}>{d.endpointId}</a> : null} />
    </>
  );
}
