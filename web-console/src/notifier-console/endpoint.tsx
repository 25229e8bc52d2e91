import { type Api, seg } from '../shared/api';
import { EndpointActions } from '../shared/endpoint-actions';
import { DeliveryTable } from '../shared/deliveries';
import { ago, percent } from '../shared/format';
import { href } from '../shared/route';
import type { Delivery, Endpoint, EndpointHealth } from '../shared/types';
import { Badge, ErrorText, useLoad } from '../shared/ui';

export function EndpointPage({ api, id }: { api: Api; id: string }) {
  const endpoint = useLoad(() => api.get<Endpoint>(`/api/endpoints/${seg(id)}`), id);
  const health = useLoad(() => api.get<EndpointHealth>(`/api/endpoints/${seg(id)}/health`), id, 2000);
  const recent = useLoad(() => api.get<Delivery[]>('/api/notifications', { endpoint: id, limit: 20 }), id, 2000);
  const e = endpoint.data;
  const h = health.data;
  return (
    <>
      <h1>Endpoint {e?.description ?? id}</h1>
      <ErrorText error={endpoint.error} />
      {e ? (
        <section>
          <dl class="facts">
            <dt>Id</dt>
            <dd>{e.id}</dd>
            <dt>Application</dt>
            <dd>{e.applicationId ?? '–'}</dd>
            <dt>URL</dt>
            <dd>{e.url}</dd>
            <dt>State</dt>
            <dd>
              <Badge value={e.enabled ? 'ENABLED' : 'DISABLED'} /> {e.disabledReason ?? ''}
            </dd>
            <dt>Subscribes to</dt>
            <dd>{e.eventTypes?.length ? e.eventTypes.join(', ') : 'every event type'}</dd>
            <dt>Schedule</dt>
            <dd>
              {e.retryProfile}, acknowledged by {e.ackMatcher}, timeout {e.timeoutMs} ms
            </dd>
            <dt>Limits</dt>
            <dd>
              {e.maxConcurrency} in flight, {e.ratePerSecond} / s, ordering {e.ordering ?? 'none'}
            </dd>
          </dl>
          <EndpointActions api={api} base="/api/endpoints" endpoint={e} onChanged={() => (endpoint.reload(), recent.reload())} />
        </section>
      ) : null}
      <h2>Health</h2>
      <ErrorText error={health.error} />
      {h ? (
        <section>
          <dl class="facts">
            <dt>Circuit (this instance)</dt>
            <dd>
              <Badge value={h.isolation.circuitState} /> failure rate {percent(h.isolation.failureRate)} of{' '}
              {h.isolation.recentAttempts} recent, {h.isolation.inFlight} in flight
            </dd>
            <dt>Pending</dt>
            <dd data-pending>{h.pending}</dd>
            <dt>Failures in a row</dt>
            <dd>
              {h.consecutiveFailures}
              {h.failingSince ? `, failing for ${ago(h.failingSince)}` : ''}
            </dd>
            <dt>Last hour</dt>
            <dd>
              {Object.entries(h.lastHourAttempts)
                .map(([outcome, count]) => `${outcome} ${count}`)
                .join(', ') || 'no attempts'}
            </dd>
          </dl>
        </section>
      ) : null}
      <h2>Recent deliveries</h2>
      <p>
        <a href={href(['deliveries'], { endpoint: id })}>Search all deliveries of this endpoint</a>
      </p>
      <DeliveryTable deliveries={recent.data} error={recent.error} />
    </>
  );
}
