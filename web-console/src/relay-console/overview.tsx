import { useState } from 'preact/hooks';
import { type Api, ApiError } from '../shared/api';
import { ago, time } from '../shared/format';
import { Badge, ConfirmButton, ErrorText, LiveToggle, Notice, Table, useAction, useLoad } from '../shared/ui';
import type { Backlog, Leases, Status } from './types';

function bytes(value?: number): string {
  if (value === undefined) return '–';
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KiB`;
  if (value < 1024 * 1024 * 1024) return `${(value / 1024 / 1024).toFixed(1)} MiB`;
  return `${(value / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

/** This relay: mode, pause, circuits, parked count; the backlog per partition; the leases (polling) or slot (cdc). */
export function Overview({ api }: { api: Api }) {
  const [live, setLive] = useState(true);
  const refresh = live ? 2000 : 0;
  const status = useLoad(() => api.get<Status>('/admin/status'), 'status', refresh);
  const backlog = useLoad(() => api.get<Backlog>('/admin/backlog'), 'backlog', refresh);
  const leases = useLoad(
    () => api.get<Leases>('/admin/leases').catch((e) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
    'leases',
    refresh,
  );
  const action = useAction();
  const s = status.data;
  return (
    <>
      <h1>Relay {s?.member ?? ''}</h1>
      <div class="actions">
        <LiveToggle live={live} onChange={setLive} />
        {s ? (
          s.paused ? (
            <button
              type="button"
              disabled={action.busy}
              onClick={() =>
                action.run(async () => {
                  await api.post('/admin/resume');
                  status.reload();
                  return 'Resumed: every relay of this outbox publishes again.';
                })
              }
            >
              Resume publishing
            </button>
          ) : (
            <ConfirmButton
              label="Pause publishing"
              question="Pause every relay of this outbox? Nothing is published until you resume."
              disabled={action.busy}
              onConfirm={() =>
                action.run(async () => {
                  await api.post('/admin/pause');
                  status.reload();
                  return 'Paused on every relay of this outbox (each follows within a lease renewal).';
                })
              }
            />
          )
        ) : null}
      </div>
      <ErrorText error={status.error ?? action.error} />
      <Notice text={action.done} />
      {s ? (
        <div class="totals" aria-label="Status">
          <div>
            <strong>{s.mode}</strong> mode
          </div>
          <div>
            <strong data-paused>{s.paused ? 'paused' : 'publishing'}</strong> state
          </div>
          <div>
            <strong data-parked>{s.parked}</strong> parked
          </div>
          <div>
            <strong data-backlog>{backlog.data?.rows ?? '–'}</strong> in the outbox
          </div>
          <div>
            <Badge value={s.circuits.kafka} /> Kafka circuit
          </div>
          <div>
            <Badge value={s.circuits.database} /> database circuit
          </div>
        </div>
      ) : null}
      {s?.mode === 'cdc' ? (
        <section>
          <h2>Change stream</h2>
          <dl class="facts">
            <dt>This relay</dt>
            <dd>
              <Badge value={s.state ?? '–'} /> {s.state === 'LEADING' ? 'leads the change stream' : 'stands by'}
            </dd>
            <dt>Slot</dt>
            <dd>
              {s.slot} {s.slotExists === false ? '(missing)' : s.slotActive ? '(active)' : '(inactive)'}
            </dd>
            <dt>Slot lag</dt>
            <dd>{bytes(s.slotLagBytes)}</dd>
            <dt>Retained WAL</dt>
            <dd>{bytes(s.slotRetainedWalBytes)}</dd>
            <dt>Last change read</dt>
            <dd>{s.lastEventAt ? `${ago(s.lastEventAt)} ago` : '–'}</dd>
            {s.slotUnreadSince ? (
              <>
                <dt>Unread since</dt>
                <dd>{time(s.slotUnreadSince)}</dd>
              </>
            ) : null}
            {s.lastError ? (
              <>
                <dt>Last error</dt>
                <dd class="error">{s.lastError}</dd>
              </>
            ) : null}
          </dl>
        </section>
      ) : null}
      <h2>Backlog per partition</h2>
      <ErrorText error={backlog.error} />
      <Table
        label="Backlog"
        head={['Partition', 'Rows', 'Oldest', 'Owner', 'Epoch', 'Lease expires']}
        empty={backlog.data !== undefined && partitionsOf(backlog.data, leases.data).length === 0}
      >
        {partitionsOf(backlog.data, leases.data).map((p) => (
          <tr key={p.partition} data-partition={p.partition}>
            <td>{p.partition}</td>
            <td data-rows>{p.rows}</td>
            <td>{p.oldestCreatedAt ? `${ago(p.oldestCreatedAt)} ago` : ''}</td>
            <td>{p.owner ?? (leases.data === null ? 'cdc leader' : '')}</td>
            <td>{p.epoch ?? ''}</td>
            <td>{p.expiresAt ? time(p.expiresAt) : ''}</td>
          </tr>
        ))}
      </Table>
      {s?.mode === 'polling' ? (
        <p class="hint">
          {s.member} owns {s.ownedPartitions?.length ?? 0} partitions; leases {s.leases}; LISTEN/NOTIFY{' '}
          {s.listening ? 'listening' : 'not listening (polling only)'}.
        </p>
      ) : null}
    </>
  );
}

interface Row {
  partition: number;
  rows: number;
  oldestCreatedAt?: string;
  owner?: string;
  epoch?: number;
  expiresAt?: string;
}

/** Every partition that has rows or a lease, with both. */
function partitionsOf(backlog?: Backlog, leases?: Leases | null): Row[] {
  const rows = new Map<number, Row>();
  for (const lease of leases?.leases ?? []) {
    rows.set(lease.partition, { partition: lease.partition, rows: 0, owner: lease.owner, epoch: lease.epoch, expiresAt: lease.expiresAt });
  }
  for (const p of backlog?.partitions ?? []) {
    rows.set(p.partition, { ...(rows.get(p.partition) ?? { partition: p.partition }), rows: p.rows, oldestCreatedAt: p.oldestCreatedAt });
  }
  return [...rows.values()].sort((a, b) => a.partition - b.partition);
}
