// How both the console and the portal show deliveries: the status filter, the table, one delivery with its payload
// and every attempt (start, duration, status, outcome, the answer's first kilobyte, error).
import type { ComponentChildren } from 'preact';
import { time } from './format';
import { href } from './route';
import type { Attempt, Delivery } from './types';
import { Badge, ErrorText, Table } from './ui';

export const STATUSES = ['PENDING', 'DELIVERED', 'GAVE_UP', 'CANCELLED'];

export function StatusSelect(props: { value: string; onChange: (status: string) => void }) {
  return (
    <label>
      Status
      <select name="status" value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
        <option value="">any</option>
        {STATUSES.map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
    </label>
  );
}

/** Deliveries, each linking to its page; {@code action} adds a last column (e.g. a resend button). */
export function DeliveryTable(props: {
  deliveries?: Delivery[];
  error?: string;
  action?: (delivery: Delivery) => ComponentChildren;
}) {
  const head = ['Delivery', 'Event type', 'Status', 'Attempts', 'Last answer', 'Accepted', 'Next attempt'];
  return (
    <>
      <ErrorText error={props.error} />
      <Table
        label="Deliveries"
        head={props.action ? [...head, ''] : head}
        empty={props.deliveries !== undefined && props.deliveries.length === 0}
      >
        {(props.deliveries ?? []).map((d) => (
          <tr key={d.id} data-delivery={d.id}>
            <td>
              <a href={href(['deliveries', d.id])}>{d.id.slice(0, 8)}</a>
            </td>
            <td>{d.eventType}</td>
            <td>
              <Badge value={d.status} />
              {d.held ? ' held' : ''}
            </td>
            <td>{d.attemptCount}</td>
            <td class="wrap">{d.lastStatusCode ?? d.lastError ?? ''}</td>
            <td>{time(d.createdAt)}</td>
            <td>{time(d.nextAttemptAt)}</td>
            {props.action ? <td>{props.action(d)}</td> : null}
          </tr>
        ))}
      </Table>
    </>
  );
}

/** One delivery: its facts ({@code endpoint} and {@code children} add what the caller may show), payload, attempts. */
export function DeliveryView(props: { delivery?: Delivery; endpoint: ComponentChildren; children?: ComponentChildren }) {
  const d = props.delivery;
  return (
    <>
      {d ? (
        <section>
          <dl class="facts">
            <dt>Status</dt>
            <dd>
              <Badge value={d.status} />
              {d.held ? ' held behind an earlier delivery of its key' : ''}
            </dd>
            <dt>Endpoint</dt>
            <dd>{props.endpoint}</dd>
            <dt>Event type</dt>
            <dd>{d.eventType}</dd>
            <dt>Accepted</dt>
            <dd>{time(d.createdAt)}</dd>
            <dt>Next attempt</dt>
            <dd>{time(d.nextAttemptAt) || '–'}</dd>
            <dt>Finished</dt>
            <dd>{time(d.finishedAt) || '–'}</dd>
          </dl>
          {props.children}
          <h2>Payload</h2>
          <pre>{JSON.stringify(d.payload, null, 2)}</pre>
        </section>
      ) : null}
      <h2>Attempts</h2>
      <AttemptTable attempts={d?.attempts} />
    </>
  );
}

export function AttemptTable({ attempts }: { attempts?: Attempt[] }) {
  return (
    <Table
      label="Attempts"
      head={['#', 'Started', 'Duration', 'Status', 'Outcome', 'Answer', 'Error', 'Instance']}
      empty={attempts !== undefined && attempts.length === 0}
    >
      {(attempts ?? []).map((a) => (
        <tr key={a.number}>
          <td>{a.number}</td>
          <td>{time(a.startedAt)}</td>
          <td>{a.durationMs} ms</td>
          <td>{a.statusCode ?? ''}</td>
          <td>{a.outcome}</td>
          <td class="wrap">{a.responseExcerpt ?? ''}</td>
          <td class="wrap">{a.error ?? ''}</td>
          <td>{a.instance}</td>
        </tr>
      ))}
    </Table>
  );
}
