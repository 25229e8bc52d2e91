import { type Api, seg } from '../shared/api';
import { AttemptTable } from '../shared/deliveries';
import { time } from '../shared/format';
import { href } from '../shared/route';
import type { Delivery, Message } from '../shared/types';
import { Badge, ErrorText, Notice, useAction, useLoad } from '../shared/ui';

/** One message with each of its deliveries and every attempt of each. */
export function MessagePage({ api, application, id }: { api: Api; application: string; id: string }) {
  const base = `/api/applications/${seg(application)}/messages/${seg(id)}`;
  const message = useLoad(async () => {
    const m = await api.get<Message>(base);
    const deliveries = await Promise.all(
      (m.deliveries ?? []).map((d) => api.get<Delivery>(`/api/notifications/${seg(d.id)}`)),
    );
    return { message: m, deliveries };
  }, base, 2000);
  const action = useAction();
  const m = message.data?.message;
  return (
    <>
      <h1>Message {id}</h1>
      <ErrorText error={message.error} />
      {m ? (
        <section>
          <dl class="facts">
            <dt>Application</dt>
            <dd>
              <a href={href(['deliveries'], { application })}>{application}</a>
            </dd>
            <dt>Event type</dt>
            <dd>{m.eventType}</dd>
            <dt>Channels</dt>
            <dd>{m.channels?.join(', ') || '–'}</dd>
            <dt>Accepted</dt>
            <dd>{time(m.createdAt)}</dd>
          </dl>
          <div class="actions">
            <button
              type="button"
              disabled={action.busy}
              onClick={() =>
                action.run(async () => {
                  const answer = await api.post<{ redelivered: number }>(`${base}/redeliver`, {});
                  message.reload();
                  return `${answer.redelivered} finished deliveries are due again.`;
                })
              }
            >
              Redeliver to every endpoint
            </button>
          </div>
          <ErrorText error={action.error} />
          <Notice text={action.done} />
          <h2>Payload</h2>
          <pre>{JSON.stringify(m.payload, null, 2)}</pre>
        </section>
      ) : null}
      {(message.data?.deliveries ?? []).map((d) => (
        <section key={d.id} data-delivery={d.id}>
          <h2>
            <a href={href(['deliveries', d.id])}>Delivery {d.id.slice(0, 8)}</a> to endpoint{' '}
            <a href={href(['endpoints', d.endpointId])}>{d.endpointId.slice(0, 8)}</a> <Badge value={d.status} />
          </h2>
          <AttemptTable attempts={d.attempts} />
        </section>
      ))}
    </>
  );
}
