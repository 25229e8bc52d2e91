import { type Api, seg } from '../shared/api';
import { DeliveryView } from '../shared/deliveries';
import { href } from '../shared/route';
import type { Delivery, Endpoint } from '../shared/types';
import { ErrorText, Notice, useAction, useLoad } from '../shared/ui';

/** One delivery with every attempt; redeliver it when it has finished, cancel it while it is pending. */
export function DeliveryPage({ api, id }: { api: Api; id: string }) {
  const delivery = useLoad(() => api.get<Delivery>(`/api/notifications/${seg(id)}`), id, 2000);
  const d = delivery.data;
  const endpoint = useLoad(
    () => (d ? api.get<Endpoint>(`/api/endpoints/${seg(d.endpointId)}`) : Promise.resolve(undefined)),
    d?.endpointId ?? '',
  );
  const action = useAction();
  const application = endpoint.data?.applicationId;
  return (
    <>
      <h1>Delivery {id}</h1>
      <ErrorText error={delivery.error} />
      <DeliveryView
        delivery={d}
        endpoint={d ? <a href={href(['endpoints', d.endpointId])}>{endpoint.data?.url ?? d.endpointId}</a> : null}
      >
        {d?.messageId && application ? (
          <p>
            Message <a href={href(['applications', application, 'messages', d.messageId])}>{d.messageId}</a>
          </p>
        ) : null}
        <div class="actions">
          <button
            type="button"
            disabled={action.busy || d?.status === 'PENDING'}
            onClick={() =>
              action.run(async () => {
                await api.post(`/api/notifications/${seg(id)}/redeliver`);
                delivery.reload();
                return 'Due again: it is sent at once, with a fresh round of its schedule.';
              })
            }
          >
            Redeliver
          </button>
          <button
            type="button"
            disabled={action.busy || d?.status !== 'PENDING'}
            onClick={() =>
              action.run(async () => {
                await api.post(`/api/notifications/${seg(id)}/cancel`);
                delivery.reload();
                return 'Cancelled.';
              })
            }
          >
            Cancel
          </button>
        </div>
        <ErrorText error={action.error} />
        <Notice text={action.done} />
      </DeliveryView>
    </>
  );
}
