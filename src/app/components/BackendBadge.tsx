import { useStrata } from '../store';

/** Which backend and adapter the engine runs on, and why it was chosen. */
export function BackendBadge() {
  const run = useStrata((s) => s.run);
  const info = run.backendInfo;
  let text: string;
  let detail: string;
  if (run.status === 'failed') {
    text = 'engine failed';
    detail = run.error ?? '';
  } else if (!info) {
    text = 'starting engine…';
    detail = 'Starting the compute worker and choosing a backend.';
  } else {
    text = info.name + (info.name === 'wasm' ? (info.threads ? ' · threads' : ' · 1 thread') : '');
    detail = `${info.adapter} — ${info.reason}`;
  }
  return (
    <div
      className={`badge badge-${run.status}`}
      role="status"
      aria-label="Engine backend"
      data-backend={info?.name ?? ''}
      title={detail}
    >
      <span className="badge-name">{text}</span>
      {info && <span className="badge-detail">{detail}</span>}
      {info?.fallback && (
        <span className="badge-fallback">
          {' '}
          (asked for {info.fallback.requested}; it could not start)
        </span>
      )}
    </div>
  );
}
