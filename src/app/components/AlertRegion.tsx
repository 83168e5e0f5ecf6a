import { useStrata } from '../store';

/** The page's one alert region: engine errors and notices, each dismissable. */
export function AlertRegion() {
  const alerts = useStrata((s) => s.ui.alerts);
  const dismiss = useStrata((s) => s.dismissAlert);
  return (
    <div role="alert" className={alerts.length ? 'notices' : 'notices notices-empty'}>
      {alerts.map((a) => (
        <p key={a.id} className={`notice notice-${a.kind}`}>
          <span>{a.text}</span>{' '}
          <button type="button" onClick={() => dismiss(a.id)} aria-label={`Dismiss: ${a.text}`}>
            ×
          </button>
        </p>
      ))}
    </div>
  );
}
